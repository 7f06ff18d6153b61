using System.Globalization;
using System.Net;
using System.Text;

namespace Alignment.Cli.Demo;

/// <summary>
/// Small server-side SVG charts for the report: vertical (optionally grouped) bars and horizontal bars, each with an optional
/// reference line. Every number is written with the invariant culture, so the same data gives the same SVG text.
/// </summary>
internal static class SvgChart
{
    /// <summary>The palette series are drawn in.</summary>
    public static readonly string[] Palette = ["#2563eb", "#f97316", "#16a34a", "#dc2626", "#7c3aed", "#0891b2", "#ca8a04"];

    private const int Width = 680;
    private const int Height = 300;
    private const int Left = 56;
    private const int Right = 16;
    private const int Top = 28;
    private const int Bottom = 56;

    /// <summary>Draws vertical bars: one group per category, one bar per series in each group.</summary>
    /// <param name="categories">The categories along the x axis.</param>
    /// <param name="series">Each series: name, colour and one value per category.</param>
    /// <param name="yLabel">The label of the y axis.</param>
    /// <param name="format">Formats a value for the bar's label and tooltip.</param>
    /// <param name="referenceX">A vertical reference line drawn before this category index (for example the service level), with its label.</param>
    /// <returns>The SVG element.</returns>
    public static string VerticalBars(IReadOnlyList<string> categories, IReadOnlyList<(string Name, string Color, double[] Values)> series, string yLabel, Func<double, string> format, (double Index, string Label)? referenceX = null)
    {
        double max = Math.Max(1e-9, series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max());
        max = NiceCeiling(max);
        int plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double groupW = (double)plotW / Math.Max(1, categories.Count);
        double barW = Math.Max(2, (groupW - 8) / Math.Max(1, series.Count));
        var svg = Begin(yLabel, series.Count > 1 ? series.Select(s => (s.Name, s.Color)).ToList() : null);
        Axis(svg, max, format);
        for (int c = 0; c < categories.Count; c++)
        {
            double gx = Left + c * groupW + 4;
            for (int s = 0; s < series.Count; s++)
            {
                double v = series[s].Values[c];
                double h = v / max * plotH;
                double x = gx + s * barW, y = Top + plotH - h;
                svg.Append(Inv($"<rect class=\"bar\" x=\"{x:0.##}\" y=\"{y:0.##}\" width=\"{barW - 1:0.##}\" height=\"{h:0.##}\" fill=\"{series[s].Color}\"><title>{Esc(categories[c])} · {Esc(series[s].Name)}: {Esc(format(v))}</title></rect>"));
                if (series.Count == 1)
                {
                    svg.Append(Inv($"<text class=\"value\" x=\"{x + barW / 2:0.##}\" y=\"{y - 4:0.##}\" text-anchor=\"middle\">{Esc(format(v))}</text>"));
                }
            }

            svg.Append(Inv($"<text class=\"tick\" x=\"{Left + c * groupW + groupW / 2:0.##}\" y=\"{Top + plotH + 16}\" text-anchor=\"middle\">{Esc(categories[c])}</text>"));
        }

        if (referenceX is { } reference)
        {
            double x = Left + reference.Index * groupW;
            svg.Append(Inv($"<line class=\"reference\" x1=\"{x:0.##}\" x2=\"{x:0.##}\" y1=\"{Top - 6}\" y2=\"{Top + plotH}\" stroke=\"#111\" stroke-dasharray=\"5 3\"/>"));
            svg.Append(Inv($"<text class=\"reference-label\" x=\"{x + 4:0.##}\" y=\"{Top + 4}\">{Esc(reference.Label)}</text>"));
        }

        return End(svg);
    }

    /// <summary>Draws one horizontal bar per row.</summary>
    /// <param name="rows">Each row: label, value, colour.</param>
    /// <param name="xLabel">The label of the value axis.</param>
    /// <param name="format">Formats a value.</param>
    /// <param name="reference">A vertical reference line at a value, with its label.</param>
    /// <param name="legend">Colour legend entries.</param>
    /// <returns>The SVG element.</returns>
    public static string HorizontalBars(IReadOnlyList<(string Label, double Value, string Color)> rows, string xLabel, Func<double, string> format, (double Value, string Label)? reference = null, IReadOnlyList<(string Name, string Color)>? legend = null)
    {
        const int labelW = 230, rowH = 22;
        int height = Top + rows.Count * rowH + 40;
        double max = NiceCeiling(Math.Max(Math.Max(1e-9, rows.Select(r => r.Value).DefaultIfEmpty(0).Max()), reference?.Value ?? 0));
        int plotW = Width - labelW - Right - 60;
        var svg = new StringBuilder(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\" role=\"img\">"));
        Legend(svg, legend);
        for (int i = 0; i < rows.Count; i++)
        {
            var (label, value, color) = rows[i];
            double y = Top + i * rowH, w = value / max * plotW;
            svg.Append(Inv($"<text class=\"tick\" x=\"{labelW - 6}\" y=\"{y + 15}\" text-anchor=\"end\">{Esc(label)}</text>"));
            svg.Append(Inv($"<rect class=\"bar\" x=\"{labelW}\" y=\"{y + 3}\" width=\"{w:0.##}\" height=\"{rowH - 6}\" fill=\"{color}\"><title>{Esc(label)}: {Esc(format(value))}</title></rect>"));
            svg.Append(Inv($"<text class=\"value\" x=\"{labelW + w + 4:0.##}\" y=\"{y + 15}\">{Esc(format(value))}</text>"));
        }

        double axisY = Top + rows.Count * rowH + 4;
        svg.Append(Inv($"<line class=\"axis\" x1=\"{labelW}\" x2=\"{labelW + plotW}\" y1=\"{axisY:0.##}\" y2=\"{axisY:0.##}\" stroke=\"#999\"/>"));
        svg.Append(Inv($"<text class=\"axis-label\" x=\"{labelW + plotW / 2}\" y=\"{axisY + 28:0.##}\" text-anchor=\"middle\">{Esc(xLabel)} (0 to {Esc(format(max))})</text>"));
        if (reference is { } r)
        {
            double x = labelW + r.Value / max * plotW;
            svg.Append(Inv($"<line class=\"reference\" x1=\"{x:0.##}\" x2=\"{x:0.##}\" y1=\"{Top - 4}\" y2=\"{axisY:0.##}\" stroke=\"#111\" stroke-dasharray=\"5 3\"/>"));
            svg.Append(Inv($"<text class=\"reference-label\" x=\"{x + 4:0.##}\" y=\"{axisY + 14:0.##}\">{Esc(r.Label)}</text>"));
        }

        return svg.Append("</svg>").ToString();
    }

    private static StringBuilder Begin(string yLabel, IReadOnlyList<(string Name, string Color)>? legend)
    {
        var svg = new StringBuilder(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\">"));
        svg.Append(Inv($"<text class=\"axis-label\" x=\"14\" y=\"{Top + (Height - Top - Bottom) / 2}\" transform=\"rotate(-90 14 {Top + (Height - Top - Bottom) / 2})\" text-anchor=\"middle\">{Esc(yLabel)}</text>"));
        Legend(svg, legend);
        return svg;
    }

    private static void Legend(StringBuilder svg, IReadOnlyList<(string Name, string Color)>? legend)
    {
        if (legend is null)
        {
            return;
        }

        double x = Left;
        foreach (var (name, color) in legend)
        {
            svg.Append(Inv($"<rect class=\"legend\" x=\"{x:0.##}\" y=\"6\" width=\"12\" height=\"12\" fill=\"{color}\"/><text class=\"legend-label\" x=\"{x + 16:0.##}\" y=\"16\">{Esc(name)}</text>"));
            x += 28 + name.Length * 6.5;
        }
    }

    private static void Axis(StringBuilder svg, double max, Func<double, string> format)
    {
        int plotH = Height - Top - Bottom;
        for (int i = 0; i <= 4; i++)
        {
            double v = max * i / 4, y = Top + plotH - (double)plotH * i / 4;
            svg.Append(Inv($"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.##}\" y2=\"{y:0.##}\" stroke=\"#e5e7eb\"/>"));
            svg.Append(Inv($"<text class=\"tick\" x=\"{Left - 6}\" y=\"{y + 4:0.##}\" text-anchor=\"end\">{Esc(format(v))}</text>"));
        }
    }

    private static string End(StringBuilder svg) => svg.Append("</svg>").ToString();

    private static double NiceCeiling(double value)
    {
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (double step in (double[])[1, 2, 2.5, 5, 10])
        {
            if (step * magnitude >= value)
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Esc(string text) => WebUtility.HtmlEncode(text);
}
