using System.Text;
using Alignment.AspNetCore.Webhooks;
using Alignment.Webhooks;

namespace Alignment.AspNetCore.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    private const string Secret = "whsec_test";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"kind\":\"scored\"}");
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    // Computed independently: python3 -c "import hmac,hashlib; print(hmac.new(b'whsec_test', b'1700000000.{\"kind\":\"scored\"}', hashlib.sha256).hexdigest())"
    private const string Vector = "t=1700000000,v1=171409de8f3e89c5ddebc5a3507ed4a7b9ac6da57aa648fa4fb26b032e6c197a";

    [Fact]
    public void Sign_matches_an_independently_computed_vector() => Assert.Equal(Vector, WebhookSignature.Sign(Secret, 1_700_000_000, Body));

    [Fact]
    public void Verify_accepts_the_vector() => Assert.True(WebhookSignature.Verify(Secret, Vector, Body, Now, TimeSpan.FromMinutes(5)));

    [Fact]
    public void Verify_refuses_a_wrong_secret() => Assert.False(WebhookSignature.Verify("whsec_other", Vector, Body, Now, TimeSpan.FromMinutes(5)));

    [Fact]
    public void Verify_refuses_a_tampered_body() =>
        Assert.False(WebhookSignature.Verify(Secret, Vector, Encoding.UTF8.GetBytes("{\"kind\":\"routed\"}"), Now, TimeSpan.FromMinutes(5)));

    [Fact]
    public void Verify_refuses_a_changed_timestamp_with_the_same_mac() =>
        Assert.False(WebhookSignature.Verify(Secret, Vector.Replace("t=1700000000", "t=1700000001", StringComparison.Ordinal), Body, Now, TimeSpan.FromMinutes(5)));

    [Theory]
    [InlineData(301)]
    [InlineData(-301)]
    public void Verify_refuses_a_timestamp_outside_the_tolerance(int skewSeconds) =>
        Assert.False(WebhookSignature.Verify(Secret, Vector, Body, Now.AddSeconds(skewSeconds), TimeSpan.FromMinutes(5)));

    [Theory]
    [InlineData(300)]
    [InlineData(-300)]
    public void Verify_accepts_a_timestamp_at_the_tolerance(int skewSeconds) =>
        Assert.True(WebhookSignature.Verify(Secret, Vector, Body, Now.AddSeconds(skewSeconds), TimeSpan.FromMinutes(5)));

    [Fact]
    public void Verify_accepts_any_of_several_v1_entries_for_secret_rotation()
    {
        string other = WebhookSignature.Sign("whsec_old", 1_700_000_000, Body);
        string both = other + "," + Vector["t=1700000000,".Length..];
        Assert.True(WebhookSignature.Verify(Secret, both, Body, Now, TimeSpan.FromMinutes(5)));
        Assert.True(WebhookSignature.Verify("whsec_old", both, Body, Now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("whsec_new", both, Body, Now, TimeSpan.FromMinutes(5)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("t=1700000000")]
    [InlineData("v1=171409de8f3e89c5ddebc5a3507ed4a7b9ac6da57aa648fa4fb26b032e6c197a")]
    [InlineData("t=abc,v1=171409de8f3e89c5ddebc5a3507ed4a7b9ac6da57aa648fa4fb26b032e6c197a")]
    [InlineData("t=-1700000000,v1=171409de8f3e89c5ddebc5a3507ed4a7b9ac6da57aa648fa4fb26b032e6c197a")]
    [InlineData("t=99999999999999999999,v1=171409de8f3e89c5ddebc5a3507ed4a7b9ac6da57aa648fa4fb26b032e6c197a")]
    [InlineData("t=1700000000,v1=zz")]
    [InlineData("t=1700000000,v1=171409de8f3e89c5ddebc5a3507ed4a7b9ac6da57aa648fa4fb26b032e6c19")]
    [InlineData("t=1700000000,v1=ZZ1409de8f3e89c5ddebc5a3507ed4a7b9ac6da57aa648fa4fb26b032e6c197a")]
    [InlineData("t=1700000000,t=1700000000,v1=171409de8f3e89c5ddebc5a3507ed4a7b9ac6da57aa648fa4fb26b032e6c197a")]
    [InlineData("t=1700000000,,v1=171409de8f3e89c5ddebc5a3507ed4a7b9ac6da57aa648fa4fb26b032e6c197a")]
    [InlineData("=,=,=")]
    [InlineData(",")]
    public void Verify_returns_false_for_a_malformed_header(string? header) =>
        Assert.False(WebhookSignature.Verify(Secret, header, Body, Now, TimeSpan.FromMinutes(5)));

    [Fact]
    public void Verify_tolerates_spaces_and_uppercase_hex()
    {
        string upper = "t=1700000000, v1=" + Vector["t=1700000000,v1=".Length..].ToUpperInvariant();
        Assert.True(WebhookSignature.Verify(Secret, upper, Body, Now, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void The_signature_covers_the_timestamp_and_not_the_body_alone()
    {
        // Signed over the body only, the same body at two times would carry the same MAC.
        Assert.NotEqual(WebhookSignature.Sign(Secret, 1, Body)[4..], WebhookSignature.Sign(Secret, 2, Body)[4..]);
    }
}
