using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Alignment.AspNetCore.Webhooks;
using Alignment.Webhooks;

namespace Alignment.AspNetCore.Tests.Webhooks;

/// <summary>The verification samples in docs/http.md verify what the C# side signs.</summary>
public sealed partial class WebhookDocsTests
{
    private static string Docs()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        for (int i = 0; i < 10 && dir is not null; i++, dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "docs", "http.md");
            if (File.Exists(path))
            {
                return File.ReadAllText(path);
            }
        }

        throw new FileNotFoundException("docs/http.md not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("```python\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex PythonBlock();

    [Fact]
    public void The_documented_vector_is_what_Sign_computes()
    {
        Assert.Contains(WebhookSignature.Sign("whsec_test", 1_700_000_000, Encoding.UTF8.GetBytes("{\"kind\":\"scored\"}")), Docs(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_python_sample_verifies_a_signature_made_here_and_refuses_a_tampered_one()
    {
        string python = PythonBlock().Match(Docs()).Groups[1].Value;
        Assert.Contains("def verify", python, StringComparison.Ordinal);
        string dir = Directory.CreateTempSubdirectory("alignment-webhook-docs").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "sample.py"), python);
            string secret = WebhookSubscription.NewSecret();
            byte[] body = Encoding.UTF8.GetBytes("{\"kind\":\"routed\",\"leadId\":\"lead-é\"}");
            long now = 1_800_000_000;
            string header = WebhookSignature.Sign(secret, now, body);
            string driver = $$"""
                import sys
                sys.path.insert(0, {{Quote(dir)}})
                from sample import verify
                body = bytes.fromhex("{{Convert.ToHexString(body)}}")
                print(verify({{Quote(secret)}}, {{Quote(header)}}, body, now={{now + 10}}),
                      verify({{Quote(secret)}}, {{Quote(header)}}, body + b" ", now={{now + 10}}),
                      verify("whsec_other", {{Quote(header)}}, body, now={{now + 10}}),
                      verify({{Quote(secret)}}, {{Quote(header)}}, body, now={{now + 301}}),
                      verify({{Quote(secret)}}, "t=1,v1", body, now={{now}}))
                """;
            var start = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(start)!;
            await process.StandardInput.WriteAsync(driver);
            process.StandardInput.Close();
            string output = await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
            string error = await process.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(process.ExitCode == 0, error);
            Assert.Equal("True False False False False", output.Trim());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
