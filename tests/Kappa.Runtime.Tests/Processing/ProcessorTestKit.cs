using System.Text;
using Kappa.Avro;
using Kappa.Processing;

namespace Kappa.Runtime.Tests.Processing;

/// <summary>Helpers shared by the processing tests.</summary>
internal static class ProcessorTestKit
{
    public static ProcessorOptions FastOptions(HandlerErrorPolicy policy = HandlerErrorPolicy.Stop) => new()
    {
        PollTimeout = TimeSpan.FromMilliseconds(5),
        MaxBatchTime = TimeSpan.FromSeconds(30),
        OnHandlerError = policy,
    };

    public static byte[] Key(string id) => Encoding.UTF8.GetBytes(id);

    public static byte[] Encode(Order order) => AvroSerializer.SerializeToArray(order);

    public static long AppendOrder(this InMemoryTransport transport, int partition, string id, long amount, string region, long timestampMs, byte[]? headers = null) =>
        transport.Append("orders", partition, Key(id), Encode(new Order { Id = id, Amount = amount, Region = region }), timestampMs, headers);

    /// <summary>Runs on this thread until the consumer finds nothing more to read, then stops gracefully.</summary>
    public static void RunUntilIdle(this ProcessorRunner runner, InMemoryTransport transport)
    {
        using var stop = new CancellationTokenSource();
        transport.OnIdle = stop.Cancel;
        try
        {
            runner.Run(stop.Token);
        }
        finally
        {
            transport.OnIdle = null;
        }
    }

    public static T Decode<T>(byte[]? value)
        where T : IAvroRecord<T>
    {
        Assert.NotNull(value);
        return AvroSerializer.Deserialize<T>(value);
    }

    /// <summary>Waits for a condition another thread makes true; fails loudly instead of hanging.</summary>
    public static void WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"Timed out after 30 s waiting until {what}.");
            }

            Thread.Sleep(5);
        }
    }
}
