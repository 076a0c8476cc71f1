using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using Kappa.Buffers;

namespace Kappa.State;

/// <summary>
/// Local snapshot files of a <see cref="KeyValueStore{TState}"/>: the state plus the changelog offset it reflects, so
/// a restart replays only the changelog after that offset. Layout (little-endian): "KSNP", format version (1 byte),
/// schema version (int32), schema fingerprint (uint32), changelog offset (int64), entry count (int64), entries in
/// ordinal key order (uint32 key length, key, uint32 value length, state value), CRC-32C of everything before (uint32).
/// Written to a temporary file, flushed to disk, then renamed over the target, so a crash leaves the old snapshot or the
/// new one. A snapshot that fails any check is reported as corrupt and ignored.
/// </summary>
public static class StateSnapshot
{
    public const byte FormatVersion = 1;

    private static ReadOnlySpan<byte> Magic => "KSNP"u8;

    private const int HeaderLength = 4 + 1 + 4 + 4 + 8 + 8;

    /// <summary>Writes the store's entries and <see cref="KeyValueStore{TState}.ChangelogOffset"/> to <paramref name="path"/>.</summary>
    public static void Write<TState>(string path, KeyValueStore<TState> store)
        where TState : IProcessorState<TState>
    {
        using var buffer = new PooledBufferWriter(4096);
        Span<byte> header = buffer.GetSpan(HeaderLength);
        Magic.CopyTo(header);
        header[4] = FormatVersion;
        BinaryPrimitives.WriteInt32LittleEndian(header[5..], TState.StateSchemaVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(header[9..], TState.StateSchemaFingerprint);
        BinaryPrimitives.WriteInt64LittleEndian(header[13..], store.ChangelogOffset);
        BinaryPrimitives.WriteInt64LittleEndian(header[21..], store.Count);
        buffer.Advance(HeaderLength);

        Span<byte> inline = stackalloc byte[KeyHash.InlineLength];
        foreach (int position in store.OrderedPositions())
        {
            ReadOnlySpan<byte> key = store.KeyAt(position, inline);
            BinaryPrimitives.WriteUInt32LittleEndian(buffer.GetSpan(4), (uint)key.Length);
            buffer.Advance(4);
            key.CopyTo(buffer.GetSpan(key.Length));
            buffer.Advance(key.Length);

            int lengthAt = buffer.WrittenCount;
            buffer.GetSpan(4);
            buffer.Advance(4);
            StateSerializer.Serialize(in store.ValueAt(position), buffer);
            int valueLength = buffer.WrittenCount - lengthAt - 4;
            BinaryPrimitives.WriteUInt32LittleEndian(MutableWritten(buffer).Slice(lengthAt, 4), (uint)valueLength);
        }

        uint crc = Crc32C(buffer.WrittenSpan);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.GetSpan(4), crc);
        buffer.Advance(4);

        string fullPath = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(fullPath);
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        string temp = fullPath + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(buffer.WrittenSpan);
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, fullPath, overwrite: true);
    }

    /// <summary>
    /// Reads a snapshot. Returns false with the reason when the file is missing, truncated, fails its checksum or
    /// holds a state value that does not decode.
    /// </summary>
    public static bool TryRead<TState>(
        string path,
        [NotNullWhen(true)] out List<KeyValuePair<byte[], TState>>? entries,
        out long changelogOffset,
        out string? failure)
        where TState : IProcessorState<TState>
    {
        entries = null;
        changelogOffset = -1;
        if (!File.Exists(path))
        {
            failure = $"no snapshot at '{path}'";
            return false;
        }

        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (IOException ex)
        {
            failure = $"snapshot '{path}' could not be read: {ex.Message}";
            return false;
        }

        if (data.Length < HeaderLength + 4 || !data.AsSpan(0, 4).SequenceEqual(Magic))
        {
            failure = $"snapshot '{path}' is not a Kappa state snapshot or is truncated ({data.Length} bytes)";
            return false;
        }

        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(data.Length - 4));
        uint actual = Crc32C(data.AsSpan(0, data.Length - 4));
        if (stored != actual)
        {
            failure = $"snapshot '{path}' is corrupt: checksum 0x{actual:X8} does not match the stored 0x{stored:X8}";
            return false;
        }

        if (data[4] != FormatVersion)
        {
            failure = $"snapshot '{path}' has format version {data[4]}; this runtime reads {FormatVersion}";
            return false;
        }

        long offset = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(13));
        long count = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(21));
        ReadOnlySpan<byte> body = data.AsSpan(HeaderLength, data.Length - HeaderLength - 4);
        if (count < 0 || count > body.Length / 8)
        {
            failure = $"snapshot '{path}' is corrupt: entry count {count} does not fit in {body.Length} bytes";
            return false;
        }

        var result = new List<KeyValuePair<byte[], TState>>((int)count);
        int pos = 0;
        for (long i = 0; i < count; i++)
        {
            if (!TrySlice(body, ref pos, out ReadOnlySpan<byte> key) || !TrySlice(body, ref pos, out ReadOnlySpan<byte> value))
            {
                failure = $"snapshot '{path}' is corrupt: entry {i} runs past the end at byte {HeaderLength + pos}";
                return false;
            }

            try
            {
                result.Add(new KeyValuePair<byte[], TState>(key.ToArray(), StateSerializer.Deserialize<TState>(value)));
            }
            catch (StateFormatException ex)
            {
                failure = $"snapshot '{path}' is corrupt: entry {i}: {ex.Message}";
                return false;
            }
        }

        if (pos != body.Length)
        {
            failure = $"snapshot '{path}' is corrupt: {body.Length - pos} unexpected byte(s) after the last entry";
            return false;
        }

        entries = result;
        changelogOffset = offset;
        failure = null;
        return true;
    }

    /// <summary>CRC-32C (Castagnoli), the checksum Kafka's record batches use.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (byte b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }

    private static bool TrySlice(ReadOnlySpan<byte> body, ref int pos, out ReadOnlySpan<byte> slice)
    {
        slice = default;
        if (body.Length - pos < 4)
        {
            return false;
        }

        uint length = BinaryPrimitives.ReadUInt32LittleEndian(body[pos..]);
        pos += 4;
        if (length > (uint)(body.Length - pos))
        {
            return false;
        }

        slice = body.Slice(pos, (int)length);
        pos += (int)length;
        return true;
    }

    private static Span<byte> MutableWritten(PooledBufferWriter buffer) =>
        System.Runtime.InteropServices.MemoryMarshal.CreateSpan(
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(buffer.WrittenSpan), buffer.WrittenCount);
}
