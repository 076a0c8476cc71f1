using System.Text.Json;
using Kappa.Cli;
using Kappa.Lifecycle.Tests.Infrastructure;
using Kappa.Log;
using Kappa.Sqlite;
using Spectre.Console.Testing;

namespace Kappa.Lifecycle.Tests;

/// <summary>The kappa tool as a process (exit codes, --json) and its rendering on Spectre's test console.</summary>
public sealed class KappaToolTests
{
    [Fact]
    public void TheToolReportsStatusAndRefusesWhatIsNotReady()
    {
        using var world = new CliWorld();

        var (code, output, error) = KappaTool.Run(["status", "--json", .. world.Connect]);
        Assert.True(code == ExitCodes.Done, error);
        JsonElement status = KappaTool.Json(output);
        JsonElement amounts = status.GetProperty("processors")[0];
        Assert.Equal("amounts", amounts.GetProperty("processor").GetString());
        JsonElement v1 = amounts.GetProperty("versions")[0], v2 = amounts.GetProperty("versions")[1];
        Assert.Equal(("serving", 0L, true), (v1.GetProperty("state").GetString(), v1.GetProperty("lag").GetInt64(), v1.GetProperty("verified").GetBoolean()));
        Assert.Equal(("replaying", 300L, 0L), (v2.GetProperty("state").GetString(), v2.GetProperty("lag").GetInt64(), v2.GetProperty("done").GetInt64()));
        Assert.Equal(3, v2.GetProperty("partitions").GetArrayLength());
        Assert.Equal(1, amounts.GetProperty("sinks")[0].GetProperty("servingVersion").GetInt32());

        (code, output, _) = KappaTool.Run(["promote", "amounts", "2", "--json", .. world.Connect]);
        Assert.Equal(ExitCodes.Refused, code);
        JsonElement refused = KappaTool.Json(output);
        Assert.Equal("refused", refused.GetProperty("error").GetString());
        Assert.Contains("not caught up: 300 records left", refused.GetProperty("message").GetString(), StringComparison.Ordinal);

        (code, _, error) = KappaTool.Run(["retire", "amounts", "1", .. world.Connect]);
        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("amounts.v1 is serving", error, StringComparison.Ordinal);

        (code, output, _) = KappaTool.Run(["rollback", "amounts", "--json", .. world.Connect]);
        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("no Standby version", KappaTool.Json(output).GetProperty("message").GetString(), StringComparison.Ordinal);

        (code, output, _) = KappaTool.Run(["retire", "amounts", "2", "--dry-run", "--json", .. world.Connect]);
        Assert.Equal(ExitCodes.Done, code);
        JsonElement plan = KappaTool.Json(output);
        Assert.False(plan.GetProperty("executed").GetBoolean());
        Assert.Equal("customer_amounts_v2", plan.GetProperty("tables")[0].GetString());

        // Forced, v2 has no table yet: the view switch fails, nothing is switched and the registry is put back.
        (code, _, error) = KappaTool.Run(["promote", "amounts", "2", "--force", .. world.Connect]);
        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("nothing was switched and the registry was put back", error, StringComparison.Ordinal);
        (code, output, _) = KappaTool.Run(["history", "amounts", "--json", .. world.Connect]);
        Assert.Equal(ExitCodes.Done, code);
        JsonElement history = KappaTool.Json(output).GetProperty("history");
        Assert.Equal("promote-failed", history[history.GetArrayLength() - 1].GetProperty("operation").GetString());
        Assert.Equal(1, new SqliteSinkDatabase(world.SqliteFile).GetServingVersion("customer-amounts"));
        (_, output, _) = KappaTool.Run(["status", "--json", .. world.Connect]);
        Assert.Equal("serving", KappaTool.Json(output).GetProperty("processors")[0].GetProperty("versions")[0].GetProperty("state").GetString());
    }

    [Fact]
    public void BadConnectionsAndArgumentsAreErrors()
    {
        var (code, _, error) = KappaTool.Run("status", "--log", "/nonexistent/kappa-log");
        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);

        (code, _, error) = KappaTool.Run("status");
        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("--log", error, StringComparison.Ordinal);

        (code, _, _) = KappaTool.Run("promote", "amounts", "not-a-number", "--log", "/tmp");
        Assert.Equal(ExitCodes.Error, code);

        (code, string output, _) = KappaTool.Run("verify", "amounts", "2", "--log", "/tmp", "--json");
        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("dotnet run -- kappa verify amounts 2", KappaTool.Json(output).GetProperty("message").GetString(), StringComparison.Ordinal);

        (code, output, _) = KappaTool.Run("replay", "amounts", "2", "--log", "/tmp", "--json");
        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("dotnet run -- kappa replay amounts 2", KappaTool.Json(output).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void StatusRendersTablesProgressBarsAndLiveUpdates()
    {
        using var world = new CliWorld();
        var console = new TestConsole().Width(160);
        int code = KappaCli.Run(["status", .. world.Connect], console, TextWriter.Null, TextWriter.Null);
        Assert.Equal(ExitCodes.Done, code);
        string text = console.Output;
        Assert.Contains("amounts", text, StringComparison.Ordinal);
        Assert.Contains("Serving", text, StringComparison.Ordinal);
        Assert.Contains("Replaying", text, StringComparison.Ordinal);
        Assert.Contains("caught up", text, StringComparison.Ordinal);
        Assert.Contains(new string('█', 20) + " 100%", text, StringComparison.Ordinal);
        Assert.Contains(new string('░', 20) + "   0%", text, StringComparison.Ordinal);
        Assert.Contains("view customer-amounts serves v1", text, StringComparison.Ordinal);

        // --watch: a live display, redrawn each round; the second round knows a rate.
        var live = new TestConsole().Width(160).Interactive();
        code = KappaCli.Run(["status", "--watch", "--interval", "0.05", "--rounds", "3", .. world.Connect], live, TextWriter.Null, TextWriter.Null);
        Assert.Equal(ExitCodes.Done, code);
        Assert.Contains("Replaying", live.Output, StringComparison.Ordinal);

        // --watch --json: one document per round.
        var json = new StringWriter();
        code = KappaCli.Run(["status", "--watch", "--json", "--interval", "0.05", "--rounds", "2", .. world.Connect], new TestConsole(), json, TextWriter.Null);
        Assert.Equal(ExitCodes.Done, code);
        string[] lines = json.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.False(KappaTool.Json(lines[0]).GetProperty("processors")[0].GetProperty("versions")[1].TryGetProperty("recordsPerSecond", out _));
        Assert.Equal(0, KappaTool.Json(lines[1]).GetProperty("processors")[0].GetProperty("versions")[1].GetProperty("recordsPerSecond").GetDouble());
    }

    [Fact]
    public void TheProgressBarIsProportional()
    {
        Assert.Equal("[green]██████████[/][grey]██████████[/]".Replace("[grey]██████████", "[grey]░░░░░░░░░░", StringComparison.Ordinal) + "  50%", StatusView.Bar(150, 300));
        Assert.StartsWith("[green][/][grey]" + new string('░', 20), StatusView.Bar(0, 300), StringComparison.Ordinal);
        Assert.EndsWith("100%", StatusView.Bar(0, 0), StringComparison.Ordinal);
    }
}
