using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Alignment.Packaging.Tests;

[Collection(PackedFeedCollectionDefinition.Name)]
public sealed class PackageContentsTests(PackedFeedFixture feed)
{
    public static TheoryData<string> Libraries() => new() { "Alignment.Abstractions", "Alignment.Scoring", "Alignment.Segmentation", "Alignment.Policies", "Alignment.Storage.PostgreSql", "Alignment.Hosting", "Alignment.AspNetCore", "Alignment.Testing", "Alignment.Orleans" };

    public static TheoryData<string> Packages() => new() { "Alignment.Abstractions", "Alignment.Scoring", "Alignment.Segmentation", "Alignment.Policies", "Alignment.Storage.PostgreSql", "Alignment.Hosting", "Alignment.AspNetCore", "Alignment.Testing", "Alignment.Orleans", "Alignment.Cli", "Alignment.Templates" };

    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [Theory]
    [InlineData("Alignment.Abstractions")]
    [InlineData("Alignment.Scoring")]
    [InlineData("Alignment.Segmentation")]
    [InlineData("Alignment.Policies")]
    [InlineData("Alignment.Storage.PostgreSql")]
    [InlineData("Alignment.Hosting")]
    [InlineData("Alignment.AspNetCore")]
    [InlineData("Alignment.Testing")]
    [InlineData("Alignment.Orleans")]
    [InlineData("Alignment.Cli")]
    [InlineData("Alignment.Templates")]
    public void Pack_ProducesThePackage(string id)
    {
        Assert.True(File.Exists(feed.PackagePath(id)), $"{feed.PackagePath(id)} was not produced. Feed holds: {string.Join(", ", Directory.GetFiles(feed.FeedDirectory).Select(Path.GetFileName))}");
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void LibraryPackage_HasAssemblyXmlDocsAndReadme(string id)
    {
        using var package = ZipFile.OpenRead(feed.PackagePath(id));
        var entries = package.Entries.Select(e => e.FullName).ToHashSet();

        Assert.Contains($"lib/net10.0/{id}.dll", entries);
        Assert.Contains($"lib/net10.0/{id}.xml", entries);
        Assert.Contains("README.md", entries);

        var metadata = Nuspec(package);
        Assert.Equal(id, Value(metadata, "id"));
        Assert.Equal(feed.Version, Value(metadata, "version"));
        Assert.Equal("README.md", Value(metadata, "readme"));
        Assert.Equal("MIT", Value(metadata, "license"));
        Assert.False(string.IsNullOrWhiteSpace(Value(metadata, "description")));
        Assert.Contains("lead-scoring", Value(metadata, "tags"));
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void Package_CarriesItsOwnReadme_WrittenForNuGetOrg(string id)
    {
        using var package = ZipFile.OpenRead(feed.PackagePath(id));
        string readme = ReadText(package, "README.md");

        Assert.Equal("README.md", Value(Nuspec(package), "readme"));
        Assert.Equal(File.ReadAllText(Path.Combine(feed.RepositoryRoot, "src", id, "README.md")), readme);
        Assert.StartsWith($"# {id}\n", readme.ReplaceLineEndings("\n"));
        string install = id switch
        {
            "Alignment.Cli" => "dotnet tool install --global Alignment.Cli",
            "Alignment.Templates" => "dotnet new install Alignment.Templates",
            _ => $"dotnet add package {id}",
        };
        Assert.Contains(install, readme);
        Assert.Matches(@"https://\S+/docs/", readme);

        // nuget.org renders the README on its own: a relative link or image, or a step that needs the repository, breaks there.
        var relative = Regex.Matches(readme, @"!?\[[^\]]*\]\((?<target>[^)\s]+)[^)]*\)|<img[^>]+src=""(?<target>[^""]+)""")
            .Select(m => m.Groups["target"].Value)
            .Where(target => !target.StartsWith("https://", StringComparison.Ordinal))
            .ToList();
        Assert.True(relative.Count == 0, $"{id}'s README links to {string.Join(", ", relative)}; use absolute https:// links.");
        Assert.DoesNotContain("git clone", readme, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("eng/", readme, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void Package_CarriesTheIcon(string id)
    {
        using var package = ZipFile.OpenRead(feed.PackagePath(id));

        Assert.Equal("icon.png", Value(Nuspec(package), "icon"));
        byte[] icon = ReadBytes(package, "icon.png");
        Assert.Equal(PngSignature, icon[..PngSignature.Length]);
        Assert.Equal(File.ReadAllBytes(Path.Combine(feed.RepositoryRoot, "src", "icon.png")), icon);
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void LibraryPackage_HasASymbolPackageWithTheMatchingPortablePdbAndEmbeddedSources(string id)
    {
        string symbols = Path.ChangeExtension(feed.PackagePath(id), ".snupkg");
        Assert.True(File.Exists(symbols), $"{symbols} was not produced. Feed holds: {string.Join(", ", Directory.GetFiles(feed.FeedDirectory).Select(Path.GetFileName))}");
        using var symbolPackage = ZipFile.OpenRead(symbols);
        using var package = ZipFile.OpenRead(feed.PackagePath(id));
        Assert.Equal(id, Value(Nuspec(symbolPackage), "id"));
        Assert.Equal(feed.Version, Value(Nuspec(symbolPackage), "version"));
        Assert.DoesNotContain(package.Entries, e => e.FullName.EndsWith(".pdb", StringComparison.Ordinal));

        // The PDB is the one the packed assembly points at (same PDB id), so debuggers and symbol servers match them.
        using var pe = new PEReader(new MemoryStream(ReadBytes(package, $"lib/net10.0/{id}.dll")));
        var codeView = pe.ReadDebugDirectory().Single(e => e.Type == DebugDirectoryEntryType.CodeView);
        Assert.True(pe.ReadDebugDirectory().Any(e => e.IsPortableCodeView), $"{id}.dll does not point at a portable PDB.");
        var pdbData = pe.ReadCodeViewDebugDirectoryData(codeView);
        Assert.Equal($"{id}.pdb", Path.GetFileName(pdbData.Path));

        using var pdbProvider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(ReadBytes(symbolPackage, $"lib/net10.0/{id}.pdb")));
        var pdb = pdbProvider.GetMetadataReader();
        Assert.Equal(pdbData.Guid, new BlobContentId(pdb.DebugMetadataHeader!.Id).Guid);

        // EmbedUntrackedSources: the sources that are not in the repository (generated ones) travel inside the PDB.
        var embeddedSource = new Guid("0E8A571B-6926-466E-B4AD-8AB04611F5FE");
        var embedded = pdb.Documents
            .Where(d => pdb.GetCustomDebugInformation(d).Any(c => pdb.GetGuid(pdb.GetCustomDebugInformation(c).Kind) == embeddedSource))
            .Select(d => pdb.GetString(pdb.GetDocument(d).Name))
            .ToList();
        Assert.Contains(embedded, name => name.EndsWith(".AssemblyInfo.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void ToolPackage_KeepsItsPdbsInsideAndHasNoSymbolPackage()
    {
        using var package = ZipFile.OpenRead(feed.PackagePath("Alignment.Cli"));

        Assert.Contains("tools/net10.0/any/alignment.pdb", package.Entries.Select(e => e.FullName));
        Assert.False(File.Exists(Path.ChangeExtension(feed.PackagePath("Alignment.Cli"), ".snupkg")));
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public async Task LibraryProject_ValidatesItsPackageAndIsAotCompatible(string id)
    {
        var result = (await DotNetProcess.RunAsync(feed.RepositoryRoot, PackedFeedFixture.PackTimeout,
            "msbuild", Path.Combine("src", id, $"{id}.csproj"), "-p:Configuration=Release",
            "-getProperty:EnablePackageValidation", "-getProperty:PackageValidationBaselineVersion",
            "-getProperty:IsAotCompatible", "-getProperty:IncludeSymbols", "-getProperty:SymbolPackageFormat",
            "-getProperty:EmbedUntrackedSources", "-getProperty:Deterministic")).EnsureSuccess();
        var properties = System.Text.Json.JsonDocument.Parse(result.Output).RootElement.GetProperty("Properties");
        string Property(string name) => properties.GetProperty(name).GetString() ?? "";

        // Package validation runs on every pack (the feed above was packed with it); there is no baseline: nothing shipped yet.
        Assert.Equal("true", Property("EnablePackageValidation"));
        Assert.Equal("", Property("PackageValidationBaselineVersion"));
        Assert.Equal("true", Property("IsAotCompatible"));
        Assert.Equal("true", Property("IncludeSymbols"));
        Assert.Equal("snupkg", Property("SymbolPackageFormat"));
        Assert.Equal("true", Property("EmbedUntrackedSources"));
        Assert.Equal("true", Property("Deterministic"));
    }

    [Fact]
    public void LibraryPackage_XmlDocsDocumentPublicTypes()
    {
        using var package = ZipFile.OpenRead(feed.PackagePath("Alignment.Abstractions"));
        var docs = XDocument.Load(package.GetEntry("lib/net10.0/Alignment.Abstractions.xml")!.Open());

        var members = docs.Descendants("member").Select(m => (string)m.Attribute("name")!).ToHashSet();
        Assert.Contains("T:Alignment.Lifecycle.LeadLifecycle", members);
        Assert.Contains("T:Alignment.Leads.Lead", members);
    }

    [Fact]
    public void AbstractionsPackage_DependsOnlyOnDependencyInjectionAbstractions()
    {
        using var package = ZipFile.OpenRead(feed.PackagePath("Alignment.Abstractions"));
        var dependencies = Nuspec(package).Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (string)e.Attribute("id")!).Distinct();

        Assert.Equal(["Microsoft.Extensions.DependencyInjection.Abstractions"], dependencies);
    }

    [Theory]
    [InlineData("Alignment.Scoring")]
    [InlineData("Alignment.Segmentation")]
    [InlineData("Alignment.Policies")]
    public void EnginePackage_DependsOnAbstractionsAtTheSameVersion(string id)
    {
        using var package = ZipFile.OpenRead(feed.PackagePath(id));
        var abstractions = Nuspec(package).Descendants().Single(e => e.Name.LocalName == "dependency" && (string?)e.Attribute("id") == "Alignment.Abstractions");

        Assert.Equal(feed.Version, (string?)abstractions.Attribute("version"));
    }

    [Fact]
    public void ToolPackage_IsADotnetToolNamedAlignment()
    {
        using var package = ZipFile.OpenRead(feed.PackagePath("Alignment.Cli"));
        var metadata = Nuspec(package);

        var packageType = metadata.Descendants().Single(e => e.Name.LocalName == "packageType");
        Assert.Equal("DotnetTool", (string?)packageType.Attribute("name"));
        var settingsEntry = package.Entries.Single(e => e.FullName.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal));
        var command = XDocument.Load(settingsEntry.Open()).Descendants("Command").Single();
        Assert.Equal("alignment", (string?)command.Attribute("Name"));
        Assert.Equal("alignment.dll", (string?)command.Attribute("EntryPoint"));
        Assert.Contains("README.md", package.Entries.Select(e => e.FullName));
    }

    private static byte[] ReadBytes(ZipArchive package, string name)
    {
        var entry = package.GetEntry(name);
        Assert.True(entry is not null, $"The package has no {name}; it holds: {string.Join(", ", package.Entries.Select(e => e.FullName))}");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string ReadText(ZipArchive package, string name) => System.Text.Encoding.UTF8.GetString(ReadBytes(package, name));

    private static XElement Nuspec(ZipArchive package)
    {
        var entry = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/'));
        return XDocument.Load(entry.Open()).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static string Value(XElement metadata, string name) =>
        metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? "";
}
