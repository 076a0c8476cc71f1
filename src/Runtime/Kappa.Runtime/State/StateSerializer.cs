using System.Buffers;

namespace Kappa.State;

/// <summary>Convenience entry points over the generated <see cref="IProcessorState{TSelf}"/> members.</summary>
public static class StateSerializer
{
    /// <summary>Writes <paramref name="value"/> (header and fields) to <paramref name="output"/>.</summary>
    public static void Serialize<TState>(in TState value, IBufferWriter<byte> output)
        where TState : IProcessorState<TState>
    {
        var writer = new StateWriter(output);
        TState.Write(ref writer, in value);
        writer.Flush();
    }

    /// <summary>The serialized bytes of <paramref name="value"/> as a new array.</summary>
    public static byte[] SerializeToArray<TState>(in TState value)
        where TState : IProcessorState<TState>
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        Serialize(in value, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a whole state value; fails with <see cref="StateFormatException"/> on any malformed input.</summary>
    public static TState Deserialize<TState>(ReadOnlySpan<byte> data)
        where TState : IProcessorState<TState>
    {
        var reader = new StateReader(data);
        return TState.Read(ref reader);
    }

    /// <summary>Writes a nested state's fields and end tag (generated code calls this for [ProcessorState] fields).</summary>
    public static void WriteNested<TState>(ref StateWriter writer, in TState value)
        where TState : IProcessorState<TState> => TState.WriteFields(ref writer, in value);

    /// <summary>Reads a nested state's fields up to its end tag.</summary>
    public static TState ReadNested<TState>(ref StateReader reader)
        where TState : IProcessorState<TState> => TState.ReadFields(ref reader);

    /// <summary>A new array of <paramref name="length"/> elements (any element type, including arrays).</summary>
    public static T[] NewArray<T>(int length) => length == 0 ? [] : new T[length];
}
