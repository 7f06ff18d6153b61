using System.Text;
using Alignment.Models;

namespace Alignment.Abstractions.Tests.Models;

public sealed class ModelJsonGuardTests
{
    [Fact]
    public void An_ordinary_model_passes_with_comments_and_trailing_commas()
    {
        const string json = """
            // a comment
            { "name": "m", "fit": [ { "field": "company.industry", "in": ["Software", "SaaS",], "points": 15 } ],
              "description": "two lines\nand a\ttab" }
            """;
        Assert.Empty(ModelJsonGuard.Check(json));
        Assert.Empty(ModelJsonGuard.CheckUtf8(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void A_duplicate_property_is_refused_with_its_path()
    {
        var errors = ModelJsonGuard.Check("""{ "fit": [ { "field": "x", "points": 15, "points": 999999 } ] }""");
        var e = Assert.Single(errors);
        Assert.Equal("$.fit[0].points", e.Path);
        Assert.Equal("the property 'points' appears more than once in this object; a reader would keep only the last value, so remove the others", e.Message);
    }

    [Fact]
    public void A_duplicate_list_is_refused_and_the_same_name_in_sibling_objects_is_not()
    {
        Assert.Equal("$.fit", Assert.Single(ModelJsonGuard.Check("""{ "fit": [1], "fit": [] }""")).Path);
        Assert.Empty(ModelJsonGuard.Check("""{ "a": { "x": 1 }, "b": { "x": 2, "c": { "x": 3 } }, "x": 4 }"""));
        Assert.Equal("$.b.c.x", Assert.Single(ModelJsonGuard.Check("""{ "b": { "c": { "x": 3, "x": 3 } } }""")).Path);
    }

    [Fact]
    public void Control_characters_are_refused_in_values_and_names()
    {
        var e = Assert.Single(ModelJsonGuard.Check("""{ "segments": [ { "id": "ent\u001b[31m" } ] }"""));
        Assert.Equal("$.segments[0].id", e.Path);
        Assert.Contains("control character U+001B", e.Message, StringComparison.Ordinal);
        Assert.Single(ModelJsonGuard.Check("{ \"id\": \"a\u0085b\" }")); // a raw C1 control (NEL) in UTF-8
        Assert.Single(ModelJsonGuard.Check("{ \"id\": \"a\u007Fb\" }"));  // a raw DEL
        Assert.Equal("$['a\\u000Ab']", Assert.Single(ModelJsonGuard.Check("""{ "a\nb": 1 }""")).Path);
    }

    [Fact]
    public void Each_limit_is_named_with_how_to_raise_it()
    {
        var limits = new ModelReadLimits { MaxArrayLength = 3, MaxDepth = 4, MaxObjects = 4, MaxStringLength = 5, MaxBytes = 200 };
        var array = Assert.Single(ModelJsonGuard.Check("""{ "fit": [ { "in": ["a", "b", "c", "d"] } ] }""", limits));
        Assert.Equal("$.fit[0].in", array.Path);
        Assert.Equal("the array has more than 3 items (ModelReadLimits.MaxArrayLength; raise it only for files you trust: in code through the loader's ModelReadLimits, on the command line with --limit maxArrayLength=N)", array.Message);
        Assert.Contains("nests deeper than 4 levels (ModelReadLimits.MaxDepth;", Assert.Single(ModelJsonGuard.Check("""{ "a": [ [ [ [ 1 ] ] ] ] }""", limits)).Message, StringComparison.Ordinal);
        Assert.Contains("more than 4 objects", Assert.Single(ModelJsonGuard.Check("""{ "a": {}, "b": {}, "c": {}, "d": {} }""", limits)).Message, StringComparison.Ordinal);
        var s = Assert.Single(ModelJsonGuard.Check("""{ "id": "abcdef" }""", limits));
        Assert.Equal(("$.id", "the string is 6 characters long, over the limit of 5 (ModelReadLimits.MaxStringLength; raise it only for files you trust: in code through the loader's ModelReadLimits, on the command line with --limit maxStringLength=N)"), (s.Path, s.Message));
        Assert.Contains("over the limit of 200", Assert.Single(ModelJsonGuard.Check(new string(' ', 201), limits)).Message, StringComparison.Ordinal);
        Assert.Contains("over the limit of 200", Assert.Single(ModelJsonGuard.CheckUtf8(new byte[201], limits)).Message, StringComparison.Ordinal);
        // 100 two-byte characters are 200 bytes (at the limit), 101 are over it although the text is 103 chars long.
        Assert.Empty(ModelJsonGuard.Check("\"" + new string('é', 99) + "\"", new ModelReadLimits { MaxBytes = 200 }));
        Assert.Single(ModelJsonGuard.Check("\"" + new string('é', 100) + "\"", new ModelReadLimits { MaxBytes = 200 }));
    }

    [Fact]
    public void Limits_at_their_value_pass()
    {
        var limits = new ModelReadLimits { MaxArrayLength = 3, MaxDepth = 4, MaxObjects = 3, MaxStringLength = 3 };
        Assert.Empty(ModelJsonGuard.Check("""{ "abc": [ { "x": ["a", "bcd", 1] }, {} ] }""", limits));
    }

    [Fact]
    public void Malformed_json_is_reported_with_line_and_position()
    {
        var e = Assert.Single(ModelJsonGuard.Check("{\n  \"fit\": [ { \"points\": 1, } \n"));
        Assert.StartsWith("$.fit[0] (line 3, position", e.Path, StringComparison.Ordinal);
        Assert.StartsWith("malformed JSON: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_of_range_limits_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelJsonGuard.Check("{}", new ModelReadLimits { MaxObjects = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelJsonGuard.Check("{}", new ModelReadLimits { MaxDepth = 1001 }));
    }

    [Fact]
    public void A_large_flat_object_is_checked_in_linear_time_and_still_finds_a_late_duplicate()
    {
        var sb = new StringBuilder("{");
        for (int i = 0; i < 50_000; i++)
        {
            sb.Append("\"k").Append(i).Append("\":1,");
        }

        sb.Append("\"k7\":2}");
        Assert.Equal("$.k7", Assert.Single(ModelJsonGuard.Check(sb.ToString())).Path);
    }

    [Fact]
    public void A_lone_surrogate_escape_or_bytes_that_are_not_utf8_are_refused_with_their_path()
    {
        var value = Assert.Single(ModelJsonGuard.Check("""{ "fit": [ { "id": "a\ud800b" } ] }"""));
        Assert.Equal("$.fit[0].id", value.Path);
        Assert.StartsWith("the string is not valid text: it holds bytes that are not UTF-8 or an escape of half a UTF-16 surrogate pair", value.Message, StringComparison.Ordinal);
        Assert.Equal("$.fit[0]", Assert.Single(ModelJsonGuard.Check("""{ "fit": [ { "a\udc00": 1 } ] }""")).Path);
        byte[] bytes = [.. "{ \"id\": \"a"u8, 0xFF, 0xFE, .. "\\n\" }"u8];
        Assert.Single(ModelJsonGuard.CheckUtf8(bytes));
    }

    [Fact]
    public void A_string_holding_half_a_surrogate_pair_is_refused_with_its_position()
    {
        var e = Assert.Single(ModelJsonGuard.Check("{ \"id\": \"ab\ud800\" }"));
        Assert.Equal(("$", "the text is not valid Unicode: character 11 is half of a UTF-16 surrogate pair"), (e.Path, e.Message));
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_allowed()
    {
        Assert.Empty(ModelJsonGuard.CheckUtf8([0xEF, 0xBB, 0xBF, .. "{ \"id\": \"m\" }"u8]));
        Assert.Empty(ModelJsonGuard.Check("\uFEFF{ \"id\": \"m\" }"));
    }
}
