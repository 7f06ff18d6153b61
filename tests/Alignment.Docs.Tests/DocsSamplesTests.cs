using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Alignment.Docs.Tests;

/// <summary>
/// Compiles every <c>```csharp</c> block of README.md, of every docs/*.md page and of every package README (src/*/README.md) with Roslyn against the Alignment assemblies and the framework
/// reference assemblies (Microsoft.NETCore.App and Microsoft.AspNetCore.App), with the implicit usings of a console project and
/// nullable on, and asserts no errors and no warnings. A block is a complete class file or a complete top-level program; each is
/// compiled together with the other class files of its own page (so a page can define a type in one block and use it in the next).
/// </summary>
public sealed class DocsSamplesTests
{
    // Pages a CRM developer follows with code; each must keep at least one compiled sample.
    private static readonly string[] PagesWithSamples =
    [
        "README.md", "docs/getting-started.md", "docs/embedding.md", "docs/plugin-authoring.md", "docs/scoring-model.md",
        "docs/handoff.md", "docs/nurture.md", "docs/segmentation-model.md", "docs/hosting.md", "docs/http.md", "docs/planning.md",
        "src/Alignment.Abstractions/README.md", "src/Alignment.Scoring/README.md", "src/Alignment.Segmentation/README.md",
        "src/Alignment.Policies/README.md", "src/Alignment.Storage.PostgreSql/README.md", "src/Alignment.Hosting/README.md",
    ];

    // Tags that would hide C# from this test; a sample is ```csharp, pseudo-code and shell get ```text or ```sh.
    private static readonly string[] HiddenCSharpTags = ["cs", "c#", "csharp-fragment", "dotnet", "C#", "CSharp", "c-sharp"];

    /// <summary>README.md, every docs/*.md page and every package's README (src/*/README.md, shown on nuget.org), as paths relative to the repository root.</summary>
    private static IReadOnlyList<string> Pages { get; } =
    [
        "README.md",
        .. Directory.EnumerateFiles(RepositoryFiles.PathOf("docs"), "*.md")
            .Select(p => "docs/" + Path.GetFileName(p))
            .Order(StringComparer.Ordinal),
        .. PackageReadmes(),
    ];

    private static IEnumerable<string> PackageReadmes() =>
        Directory.EnumerateDirectories(RepositoryFiles.PathOf("src"))
            .Where(d => File.Exists(Path.Combine(d, "README.md")))
            .Select(d => $"src/{Path.GetFileName(d)}/README.md")
            .Order(StringComparer.Ordinal);

    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    // What the .NET SDK suppresses in every project: assembly-version unification notices for packages built against older runtimes.
    private static readonly ImmutableDictionary<string, ReportDiagnostic> SdkSuppressed =
        ImmutableDictionary<string, ReportDiagnostic>.Empty.Add("CS1701", ReportDiagnostic.Suppress).Add("CS1702", ReportDiagnostic.Suppress);

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    public static TheoryData<string, int> Samples()
    {
        var data = new TheoryData<string, int>();
        foreach (string page in Pages)
        {
            var blocks = CSharpBlocks(page);
            for (int i = 0; i < blocks.Count; i++)
            {
                data.Add(page, i);
            }
        }

        return data;
    }

    [Fact]
    public void Pages_CoverReadmeAndEveryDocsPage()
    {
        int docs = Directory.EnumerateFiles(RepositoryFiles.PathOf("docs"), "*.md").Count();
        Assert.True(docs >= PagesWithSamples.Length - 1, $"Only {docs} pages found under docs/.");
        int packages = Directory.EnumerateFiles(RepositoryFiles.PathOf("src"), "*.csproj", SearchOption.AllDirectories).Count();
        Assert.Equal(packages, PackageReadmes().Count());
        Assert.Equal(docs + 1 + packages, Pages.Count);
        foreach (string page in PagesWithSamples)
        {
            Assert.Contains(page, Pages);
            Assert.True(CSharpBlocks(page).Count >= 1, $"{page} has no ```csharp block.");
        }
    }

    [Fact]
    public void NoPage_TagsCSharpAnotherWay()
    {
        var hidden = Pages
            .SelectMany(page => MarkdownBlocks.Read(RepositoryFiles.Read(page)).Select(b => (page, b)))
            .Where(x => HiddenCSharpTags.Contains(x.b.Language, StringComparer.Ordinal))
            .Select(x => $"{x.page} line {x.b.Line}: ```{x.b.Language}")
            .ToList();
        Assert.True(hidden.Count == 0, $"Tag C# samples ```csharp so they are compiled:{Environment.NewLine}{string.Join(Environment.NewLine, hidden)}");
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_Compiles(string page, int index)
    {
        var blocks = CSharpBlocks(page);
        var block = blocks[index];
        var tree = Parse(block.Text, $"{page}:{block.Line}");
        bool isProgram = IsProgram(tree);
        var trees = new List<SyntaxTree> { tree, Parse(ImplicitUsings, "ImplicitUsings.cs") };
        trees.AddRange(blocks.Where(b => b != block).Select(b => Parse(b.Text, $"{page}:{b.Line}")).Where(t => !IsProgram(t)));

        var compilation = CSharpCompilation.Create(
            "DocsSample",
            trees,
            References.Value,
            new CSharpCompilationOptions(isProgram ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                .WithSpecificDiagnosticOptions(SdkSuppressed));
        var problems = compilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => $"{d.Location.GetLineSpan().Path}+{d.Location.GetLineSpan().StartLinePosition.Line + 1}: {d.Id} {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")
            .ToList();
        Assert.True(problems.Count == 0, $"The sample at {page} line {block.Line} does not compile cleanly:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
    }

    [Fact]
    public void BrokenSample_IsReported()
    {
        // The harness itself: a sample that calls a method the SDK does not have must fail.
        var tree = Parse("using Alignment.Scoring;\nScoringModel.LoadFromMagic(\"x\");", "broken.cs");
        var compilation = CSharpCompilation.Create("Broken", [tree, Parse(ImplicitUsings, "ImplicitUsings.cs")], References.Value, new CSharpCompilationOptions(OutputKind.ConsoleApplication));
        Assert.Contains(compilation.GetDiagnostics(), d => d.Id == "CS0117");
    }

    private static List<MarkdownBlocks.Block> CSharpBlocks(string page) =>
        [.. MarkdownBlocks.Read(RepositoryFiles.Read(page)).Where(b => b.Language == "csharp")];

    private static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(text, ParseOptions, path);

    private static bool IsProgram(SyntaxTree tree) => tree.GetCompilationUnitRoot().Members.OfType<GlobalStatementSyntax>().Any();

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string dir in FrameworkReferenceDirectories())
        {
            foreach (string dll in Directory.EnumerateFiles(dir, "*.dll"))
            {
                byName.TryAdd(Path.GetFileName(dll), dll);
            }
        }

        // The SDK's assemblies and the packages a host adds next to them, as the test build copied them.
        foreach (string dll in Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"))
        {
            string name = Path.GetFileName(dll);
            if (name.StartsWith("Alignment.", StringComparison.Ordinal) && !name.StartsWith("Alignment.Docs.Tests", StringComparison.Ordinal)
                || name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal)
                || name.StartsWith("Npgsql", StringComparison.Ordinal)
                || name.StartsWith("Orleans.", StringComparison.Ordinal)
                || name.StartsWith("StackExchange.Redis", StringComparison.Ordinal)
                || name.StartsWith("Microsoft.AspNetCore.OpenApi", StringComparison.Ordinal)
                || name.StartsWith("Microsoft.OpenApi", StringComparison.Ordinal)
                || name.StartsWith("xunit.", StringComparison.Ordinal))
            {
                byName.TryAdd(name, dll);
            }
        }

        return [.. byName.Values.Order(StringComparer.Ordinal).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }

    private static IEnumerable<string> FrameworkReferenceDirectories()
    {
        // The running runtime lives in <dotnet>/shared/Microsoft.NETCore.App/<version>/; its reference packs in <dotnet>/packs/.
        string runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", ".."));
        string major = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
        foreach (string pack in (string[])["Microsoft.NETCore.App.Ref", "Microsoft.AspNetCore.App.Ref"])
        {
            string packDir = Path.Combine(dotnetRoot, "packs", pack);
            string? refDir = Directory.Exists(packDir)
                ? Directory.EnumerateDirectories(packDir)
                    .Where(v => Version.TryParse(Path.GetFileName(v).Split('-')[0], out var ver) && ver.Major == Environment.Version.Major)
                    .OrderByDescending(v => Version.Parse(Path.GetFileName(v).Split('-')[0]))
                    .Select(v => Path.Combine(v, "ref", major))
                    .FirstOrDefault(Directory.Exists)
                : null;
            Assert.True(refDir is not null, $"The reference pack {pack} for {major} is not installed under {dotnetRoot}/packs.");
            yield return refDir!;
        }
    }
}
