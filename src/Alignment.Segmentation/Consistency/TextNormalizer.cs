using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace Alignment.Segmentation.Consistency;

/// <summary>
/// Turns free text into the tokens message consistency compares: lower case (invariant culture), accents removed (Unicode
/// decomposition, combining marks dropped), split into runs of letters and digits, tokens of one character dropped, and English
/// stop words (<see cref="StopWords"/>) dropped. No stemming, so the result is easy to check by hand.
/// </summary>
public static class TextNormalizer
{
    /// <summary>The stop words removed (a fixed list of common English function words).</summary>
    public static FrozenSet<string> StopWords { get; } = new[]
    {
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "because",
        "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during",
        "each", "even", "every", "few", "for", "from", "further", "get", "gets", "had", "has", "have", "having", "he", "her", "here", "hers",
        "him", "his", "how", "if", "in", "into", "is", "it", "its", "just", "let", "lets", "me", "more", "most", "my", "no", "nor", "not",
        "of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "same", "she", "should", "so", "some", "such",
        "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under",
        "until", "up", "us", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
        "would", "you", "your", "yours",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Tokenises text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The tokens, in order (repeats kept).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static ImmutableArray<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var folded = new StringBuilder(text.Length);
        foreach (char ch in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.NonSpacingMark)
            {
                folded.Append(char.ToLowerInvariant(ch));
            }
        }

        var tokens = ImmutableArray.CreateBuilder<string>();
        var s = folded.ToString();
        int start = -1;
        for (int i = 0; i <= s.Length; i++)
        {
            bool word = i < s.Length && char.IsLetterOrDigit(s[i]);
            if (word && start < 0)
            {
                start = i;
            }
            else if (!word && start >= 0)
            {
                var token = s[start..i];
                if (token.Length > 1 && !StopWords.Contains(token))
                {
                    tokens.Add(token);
                }

                start = -1;
            }
        }

        return tokens.ToImmutable();
    }
}
