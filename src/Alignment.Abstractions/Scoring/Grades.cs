namespace Alignment.Scoring;

/// <summary>Conversions between <see cref="Grade"/> values and their letters (<c>A+</c>, <c>B-</c>, <c>F</c>).</summary>
public static class Grades
{
    private static readonly string[] Letters = ["F", "D-", "D", "D+", "C-", "C", "C+", "B-", "B", "B+", "A-", "A", "A+"];

    /// <summary>The lowest grade.</summary>
    public const Grade Min = Grade.F;

    /// <summary>The highest grade.</summary>
    public const Grade Max = Grade.APlus;

    /// <summary>The grade every lead starts at before fit rules move it.</summary>
    public const Grade Start = Grade.D;

    /// <summary>Writes a grade as its letter, such as <c>B+</c>.</summary>
    /// <param name="grade">The grade.</param>
    /// <returns>The letter.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="grade"/> is not defined.</exception>
    public static string ToLetter(this Grade grade) =>
        (uint)grade < (uint)Letters.Length ? Letters[(int)grade] : throw new ArgumentOutOfRangeException(nameof(grade), grade, "Not a defined grade.");

    /// <summary>Reads a letter such as <c>B+</c> (case-insensitive, surrounding white space ignored).</summary>
    /// <param name="text">The letter.</param>
    /// <param name="grade">The grade, when the text is one of the 13 letters.</param>
    /// <returns><see langword="true"/> when the text is a grade.</returns>
    public static bool TryParse(string? text, out Grade grade)
    {
        grade = default;
        if (text is null)
        {
            return false;
        }

        var t = text.AsSpan().Trim();
        for (int i = 0; i < Letters.Length; i++)
        {
            if (t.Equals(Letters[i], StringComparison.OrdinalIgnoreCase))
            {
                grade = (Grade)i;
                return true;
            }
        }

        return false;
    }

    /// <summary>Moves a grade by a number of thirds of a letter, clamped to <see cref="Min"/>..<see cref="Max"/>.</summary>
    /// <param name="grade">The grade.</param>
    /// <param name="thirds">Steps to move: +1 is a third of a letter up, +3 a whole letter up, negative moves down.</param>
    /// <returns>The moved grade.</returns>
    public static Grade Move(this Grade grade, int thirds) => (Grade)Math.Clamp((long)grade + thirds, (long)Min, (long)Max);
}
