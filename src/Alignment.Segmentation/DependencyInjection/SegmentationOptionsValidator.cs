using Alignment.Models;
using Alignment.Segmentation.Rules;
using Microsoft.Extensions.Options;

namespace Alignment.Segmentation.DependencyInjection;

/// <summary>Checks every <see cref="SegmentationOptions"/> setting and reports every failure at once.</summary>
internal sealed class SegmentationOptionsValidator : IValidateOptions<SegmentationOptions>
{
    public ValidateOptionsResult Validate(string? name, SegmentationOptions options)
    {
        var result = new ValidateOptionsResultBuilder();
        bool hasPath = !string.IsNullOrWhiteSpace(options.ModelPath), hasJson = !string.IsNullOrWhiteSpace(options.ModelJson);
        if (hasPath == hasJson)
        {
            result.AddError("exactly one of ModelPath and ModelJson must be set", nameof(options.ModelPath));
        }
        else if (hasPath && !File.Exists(options.ModelPath))
        {
            result.AddError($"the file '{options.ModelPath}' does not exist", nameof(options.ModelPath));
        }

        bool limitsValid = true;
        try
        {
            options.Limits?.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            result.AddError(e.Message, nameof(options.Limits));
            limitsValid = false;
        }

        if (hasPath && !hasJson && limitsValid && File.Exists(options.ModelPath))
        {
            // Read (bounded) at start-up so that a file over the size limit, or one that never ends, stops the host here.
            try
            {
                _ = SegmentationModelFile.Read(options.ModelPath!, (options.Limits ?? new ModelReadLimits()).MaxBytes);
            }
            catch (ModelException e)
            {
                result.AddError($"{e.Document}: " + string.Join("; ", e.Errors.Select(x => x.Message)), nameof(options.ModelPath));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                result.AddError($"the file '{options.ModelPath}' cannot be read: {e.Message}", nameof(options.ModelPath));
            }
        }

        if (options.CollateralExpiryMonths < 1)
        {
            result.AddError($"must be at least 1 (was {options.CollateralExpiryMonths})", nameof(options.CollateralExpiryMonths));
        }

        if (options.Clustering is null)
        {
            result.AddError("must not be null", nameof(options.Clustering));
        }
        else
        {
            foreach (var error in options.Clustering.Validate())
            {
                result.AddError(error, nameof(options.Clustering));
            }
        }

        return result.Build();
    }
}
