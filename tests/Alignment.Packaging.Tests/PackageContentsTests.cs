using System.IO.Compression;
using System.Xml.Linq;

namespace Alignment.Packaging.Tests;

[Collection(PackedFeedCollectionDefinition.Name)]
public sealed class PackageContentsTests(PackedFeedFixture feed)
{
    public static TheoryData<string> Libraries() => new() { "Alignment.Abstractions", "Alignment.Scoring", "Alignment.Segmentation", "Alignment.Policies" };

    [Theory]
    [InlineData("Alignment.Abstractions")]
    [InlineData("Alignment.Scoring")]
    [InlineData("Alignment.Segmentation")]
    [InlineData("Alignment.Policies")]
    [InlineData("Alignment.Cli")]
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
        var readme = new StreamReader(package.GetEntry("README.md")!.Open()).ReadToEnd();
        Assert.StartsWith("# Alignment", readme);

        var metadata = Nuspec(package);
        Assert.Equal(id, Value(metadata, "id"));
        Assert.Equal(feed.Version, Value(metadata, "version"));
        Assert.Equal("README.md", Value(metadata, "readme"));
        Assert.Equal("MIT", Value(metadata, "license"));
        Assert.False(string.IsNullOrWhiteSpace(Value(metadata, "description")));
        Assert.Contains("lead-scoring", Value(metadata, "tags"));
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

    private static XElement Nuspec(ZipArchive package)
    {
        var entry = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/'));
        return XDocument.Load(entry.Open()).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static string Value(XElement metadata, string name) =>
        metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? "";
}
