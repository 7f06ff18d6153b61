using System.Globalization;

namespace Alignment.Scoring.Definitions;

/// <summary>A literal in a condition: a text, a number or a flag.</summary>
public readonly record struct ConditionValue
{
    private ConditionValue(string? text, double number, bool? flag)
    {
        Text = text;
        Number = number;
        Flag = flag;
    }

    /// <summary>The text, when the literal is text.</summary>
    public string? Text { get; }

    /// <summary>The number, when the literal is a number (otherwise <see cref="double.NaN"/>).</summary>
    public double Number { get; }

    /// <summary>The flag, when the literal is a flag.</summary>
    public bool? Flag { get; }

    /// <summary>Whether the literal is a number.</summary>
    public bool IsNumber => Text is null && Flag is null;

    /// <summary>Creates a text literal.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The literal.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static ConditionValue FromText(string text) => new(text ?? throw new ArgumentNullException(nameof(text)), double.NaN, null);

    /// <summary>Creates a number literal.</summary>
    /// <param name="number">A finite number.</param>
    /// <returns>The literal.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="number"/> is not finite.</exception>
    public static ConditionValue FromNumber(double number) =>
        double.IsFinite(number) ? new(null, number, null) : throw new ArgumentOutOfRangeException(nameof(number), number, "A condition number must be finite.");

    /// <summary>Creates a flag literal.</summary>
    /// <param name="flag">The flag.</param>
    /// <returns>The literal.</returns>
    public static ConditionValue FromFlag(bool flag) => new(null, double.NaN, flag);

    /// <summary>Writes the literal as JSON would (quoted text, invariant number, true/false).</summary>
    /// <returns>The literal's text.</returns>
    public override string ToString() =>
        Text is not null ? $"\"{Text}\"" : Flag is bool b ? (b ? "true" : "false") : Number.ToString("R", CultureInfo.InvariantCulture);
}
