using Alignment.Models;
using Alignment.Policies.Nurture;

namespace Alignment.Policies.Tests.Nurture;

// Issue 13: a nurture policy is read safely: duplicate properties, control characters in identifiers, day counts that become time
// spans added to "now", and files over a limit are refused with their path.
public sealed class NurturePolicyHardeningTests
{
    private const string Valid = """
        { "id": "p", "version": "1", "tracks": [ { "id": "t", "cadenceDays": 7, "onExhausted": "t",
          "steps": [ { "id": "a", "kind": "repCallTask" }, { "id": "b", "kind": "repCallTask", "afterDays": 3 } ] } ] }
        """;

    [Fact]
    public void Load_ValidPolicy_StillLoads()
    {
        var result = NurturePolicyLoader.Load(Valid);
        Assert.True(result.Success, string.Join("; ", result.Errors));
        Assert.Equal(TimeSpan.FromDays(7), Assert.Single(result.Policy.Tracks).Cadence);
    }

    [Fact]
    public void Load_DuplicateProperty_IsRefusedWithItsPath()
    {
        var result = NurturePolicyLoader.Load(Valid.Replace("\"cadenceDays\": 7", "\"cadenceDays\": 7, \"cadenceDays\": 9999", StringComparison.Ordinal));

        Assert.False(result.Success);
        var error = Assert.Single(result.Errors);
        Assert.Equal("$.tracks[0].cadenceDays", error.Path);
        Assert.Contains("appears more than once", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"id\": \"t\"", "\"id\": \"t\\tx\"", "$.tracks[0].id", "U+0009")]
    [InlineData("\"onExhausted\": \"t\"", "\"onExhausted\": \"t\\n\"", "$.tracks[0].onExhausted", "U+000A")]
    [InlineData("\"id\": \"b\"", "\"id\": \"b\\r\"", "$.tracks[0].steps[1].id", "U+000D")]
    [InlineData("\"version\": \"1\"", "\"version\": \"1\\u0085\"", "$.version", "U+0085")]
    [InlineData("\"id\": \"b\"", "\"id\": \"b\\u2066x\"", "$.tracks[0].steps[1].id", "U+2066")]
    public void Load_ControlCharacterInAnIdentifier_IsRefusedWithItsPath(string find, string replace, string path, string character)
    {
        var result = NurturePolicyLoader.Load(Valid.Replace(find, replace, StringComparison.Ordinal));

        Assert.False(result.Success);
        var error = Assert.Single(result.Errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(character, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"cadenceDays\": 7", "\"cadenceDays\": 2147483647", "$.tracks[0].cadenceDays: must be at most 3,650 (was 2147483647); the allowed range is 1 to 3,650 days")]
    [InlineData("\"cadenceDays\": 7", "\"cadenceDays\": 3651", "$.tracks[0].cadenceDays: must be at most 3,650 (was 3651); the allowed range is 1 to 3,650 days")]
    [InlineData("\"afterDays\": 3", "\"afterDays\": 2147483647", "$.tracks[0].steps[1].afterDays: must be at most 3,650 (was 2147483647); the allowed range is 0 to 3,650 days")]
    [InlineData("\"version\": \"1\"", "\"version\": \"1\", \"contentMaxAgeDays\": 2147483647", "$.contentMaxAgeDays: must be at most 36,500 (was 2147483647); the allowed range is 1 to 36,500 days")]
    [InlineData("\"cadenceDays\": 7", "\"cadenceDays\": 7, \"maxDaysOnTrack\": 36501", "$.tracks[0].maxDaysOnTrack: must be at most 36,500 (was 36501); the allowed range is 1 to 36,500 days")]
    [InlineData("\"cadenceDays\": 7", "\"cadenceDays\": 7, \"priority\": -2147483648", "$.tracks[0].priority: is out of range (was -2147483648); the allowed range is -1,000,000 to 1,000,000")]
    public void Load_NumberOutOfRange_IsRefusedWithPathAndRange(string find, string replace, string expected)
    {
        var result = NurturePolicyLoader.Load(Valid.Replace(find, replace, StringComparison.Ordinal));

        Assert.False(result.Success);
        Assert.Equal(expected, Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Load_LongestGapsAndAges_Load()
    {
        string json = Valid.Replace("\"cadenceDays\": 7", "\"cadenceDays\": 3650, \"maxDaysOnTrack\": 36500, \"priority\": -1000000", StringComparison.Ordinal)
            .Replace("\"afterDays\": 3", "\"afterDays\": 3650", StringComparison.Ordinal)
            .Replace("\"version\": \"1\"", "\"version\": \"1\", \"contentMaxAgeDays\": 36500", StringComparison.Ordinal);

        var result = NurturePolicyLoader.Load(json);

        Assert.True(result.Success, string.Join("; ", result.Errors));
        Assert.Equal(TimeSpan.FromDays(36_500), result.Policy.ContentMaxAge);
        Assert.Equal(TimeSpan.FromDays(3_650), result.Policy.Tracks[0].Steps[1].Delay);
    }

    [Fact]
    public void Load_FileOverTheObjectLimit_IsRefusedNamingTheLimit()
    {
        var result = NurturePolicyLoader.Load(Valid, new ModelReadLimits { MaxObjects = 3 });

        Assert.False(result.Success);
        var error = Assert.Single(result.Errors);
        Assert.Equal("$.tracks[0].steps[1]", error.Path);
        Assert.Contains("ModelReadLimits.MaxObjects", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_StringOverTheDefaultLimit_IsRefusedNamingTheLimit()
    {
        var result = NurturePolicyLoader.Load(Valid.Replace("\"id\": \"p\"", "\"id\": \"" + new string('p', ModelReadLimits.DefaultMaxStringLength + 1) + "\"", StringComparison.Ordinal));

        Assert.False(result.Success);
        var error = Assert.Single(result.Errors);
        Assert.Equal("$.id", error.Path);
        Assert.Contains("ModelReadLimits.MaxStringLength", error.Message, StringComparison.Ordinal);
    }
}
