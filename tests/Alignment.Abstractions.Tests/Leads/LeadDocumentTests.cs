using System.Runtime.InteropServices;
using Alignment.Leads;

namespace Alignment.Abstractions.Tests.Leads;

/// <summary>A lead document made from text or from UTF-8: both forms, equality, blank checks, and the in-memory store's copy of the bytes.</summary>
public sealed class LeadDocumentTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(1));
    private const string Json = "{\"name\":\"Zoë\",\"city\":\"東京\"}";

    [Fact]
    public void Each_form_gives_the_other_and_documents_of_equal_text_are_equal()
    {
        byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(Json);
        var fromText = new LeadDocument(new LeadId("a"), 1, Json, T0);
        var fromUtf8 = new LeadDocument(new LeadId("a"), 1, utf8, T0);

        Assert.False(fromText.IsUtf8);
        Assert.True(fromUtf8.IsUtf8);
        Assert.Equal(Json, fromUtf8.Json);
        Assert.Same(fromUtf8.Json, fromUtf8.Json); // decoded once
        Assert.Equal(utf8, fromText.Utf8Json.ToArray());
        Assert.Equal(fromText, fromUtf8);
        Assert.Equal(fromText.GetHashCode(), fromUtf8.GetHashCode());
        Assert.NotEqual(fromText, fromUtf8 with { Version = 2 });
        Assert.NotEqual(fromText, new LeadDocument(new LeadId("a"), 1, "{\"name\":\"Zoe\"}"u8.ToArray(), T0));

        // A text set through "with" replaces the bytes.
        var replaced = fromUtf8 with { Json = "{}" };
        Assert.False(replaced.IsUtf8);
        Assert.Equal("{}", replaced.Json);
        Assert.Equal("{}"u8.ToArray(), replaced.Utf8Json.ToArray());
        Assert.Equal($"LeadDocument {{ LeadId = a, Version = 1, UpdatedAt = 2026-12-07T09:00:00.0000000+01:00, Json = {utf8.Length} UTF-8 bytes }}", fromUtf8.ToString());
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_refused_naming_the_lead()
    {
        var e = Assert.Throws<ArgumentException>(() => new LeadDocument(new LeadId("bad-lead"), 1, new byte[] { (byte)'{', 0xC3, (byte)'}' }, T0));
        Assert.Equal("utf8Json", e.ParamName);
        Assert.Equal("Lead bad-lead: the document's JSON is not valid UTF-8. (Parameter 'utf8Json')", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \t\r\n")]
    [InlineData("\u00A0")] // no-break space
    [InlineData("\f\v\u2003\u3000\u0085")]
    public void A_blank_document_is_refused_in_either_form(string blank)
    {
        var asText = new LeadDocument(new LeadId("b"), 1, blank, T0);
        var asUtf8 = new LeadDocument(new LeadId("b"), 1, System.Text.Encoding.UTF8.GetBytes(blank), T0);

        Assert.Equal("document", Assert.Throws<ArgumentException>(() => LeadDocumentRules.Check(asText, 0, null)).ParamName);
        Assert.Equal("document", Assert.Throws<ArgumentException>(() => LeadDocumentRules.Check(asUtf8, 0, null)).ParamName);
        LeadDocumentRules.Check(new LeadDocument(new LeadId("b"), 1, System.Text.Encoding.UTF8.GetBytes(blank + "{}"), T0), 0, null);
    }

    [Theory]
    [InlineData("\u200B")] // zero-width space: not white space in .NET
    [InlineData("\uFEFF")]
    [InlineData("\U0001F680")] // outside the Basic Multilingual Plane
    public void A_document_of_characters_that_are_not_white_space_is_not_blank_in_either_form(string text)
    {
        LeadDocumentRules.Check(new LeadDocument(new LeadId("n"), 1, text, T0), 0, null);
        LeadDocumentRules.Check(new LeadDocument(new LeadId("n"), 1, System.Text.Encoding.UTF8.GetBytes(text), T0), 0, null);
    }

    [Fact]
    public async Task Bytes_changed_after_the_document_was_made_are_refused_by_the_in_memory_store()
    {
        byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(Json);
        var document = new LeadDocument(new LeadId("changed"), 1, utf8, T0);
        utf8[1] = 0xFF; // the caller breaks "do not change them afterwards"
        var store = new InMemoryLeadDocumentStore();

        var e = await Assert.ThrowsAsync<ArgumentException>(async () => await store.SaveAsync(document, 0, null));
        Assert.Equal("document", e.ParamName);
        Assert.StartsWith("Lead changed: the document's UTF-8 bytes changed after it was made", e.Message, StringComparison.Ordinal);
        Assert.Null(await store.FindAsync(new LeadId("changed")));
    }

    [Fact]
    public async Task The_in_memory_store_keeps_its_own_copy_of_the_bytes()
    {
        var store = new InMemoryLeadDocumentStore();
        byte[] whole = System.Text.Encoding.UTF8.GetBytes(Json);
        Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(new LeadDocument(new LeadId("whole"), 1, whole, T0), 0, null));

        // A slice of a larger buffer, then both buffers reused by their owners (returned to a pool, say): nothing stored changes.
        byte[] buffer = new byte[whole.Length + 10];
        whole.CopyTo(buffer, 5);
        Assert.Null(await store.AddOrFindAsync(new LeadDocument(new LeadId("slice"), 1, buffer.AsMemory(5, whole.Length), T0)));
        Array.Fill(buffer, (byte)'x');
        Array.Fill(whole, (byte)'x');

        foreach (string lead in new[] { "whole", "slice" })
        {
            var found = (await store.FindAsync(new LeadId(lead)))!;
            Assert.True(found.IsUtf8); // read back from the kept bytes: no text made
            Assert.Equal(Json, found.Json);
            Assert.True(MemoryMarshal.TryGetArray(found.Utf8Json, out var kept));
            Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(Json), kept.Array!.Length); // an exact copy
        }
    }
}
