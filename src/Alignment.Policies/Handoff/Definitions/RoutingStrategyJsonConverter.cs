using System.Text.Json;
using System.Text.Json.Serialization;

namespace Alignment.Policies.Handoff.Definitions;

/// <summary>
/// Reads a rule's <c>"strategy"</c> name through the registry (<see cref="RoutingStrategies.TryGet"/>) and writes a strategy as its
/// <see cref="RoutingStrategy.Name"/>. An unknown name is a <see cref="JsonException"/> that lists the known names and, when one is
/// close, ends with <c>(did you mean '...'?)</c>, which the loader reports as the error's suggestion.
/// </summary>
internal sealed class RoutingStrategyJsonConverter : JsonConverter<RoutingStrategy>
{
    /// <inheritdoc/>
    public override RoutingStrategy Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            return ReadPlugin(ref reader);
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"a strategy is a name: {RoutingStrategies.KnownNames}");
        }

        string name = reader.GetString()!;
        if (RoutingStrategies.TryGet(name, out var strategy))
        {
            return strategy;
        }

        string text = $"unknown strategy '{name}': the strategies are {RoutingStrategies.KnownNames}";
        return RoutingStrategies.Suggest(name) is { } close ? throw new JsonException($"{text} (did you mean '{close.Name}'?)") : throw new JsonException(text);
    }

    private static PluginStrategyReference ReadPlugin(ref Utf8JsonReader reader)
    {
        string? name = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string key = reader.GetString()!;
            reader.Read();
            if (key != "plugin" || name is not null || reader.TokenType != JsonTokenType.String || string.IsNullOrWhiteSpace(reader.GetString()))
            {
                throw new JsonException("a plugin strategy is {\"plugin\": \"name\"}, the name of a registered routing strategy plugin");
            }

            name = reader.GetString()!;
        }

        return name is null
            ? throw new JsonException("a plugin strategy is {\"plugin\": \"name\"}, the name of a registered routing strategy plugin")
            : new PluginStrategyReference(name);
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, RoutingStrategy value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        if (value is PluginStrategyReference or PluginStrategy)
        {
            writer.WriteStartObject();
            writer.WriteString("plugin", value.Name);
            writer.WriteEndObject();
            return;
        }

        writer.WriteStringValue(value.Name);
    }
}
