using Alignment.Leads;
using Alignment.Scoring.Definitions;

namespace Alignment.Scoring.Compilation;

/// <summary>A field name resolved once, at compile time, to a typed accessor on <see cref="Lead"/>.</summary>
internal sealed class FieldBinding
{
    private FieldBinding(string name, AttributeKind kind, int customOrdinal, ScoringFields.BuiltInField? builtIn)
    {
        Name = name;
        Kind = kind;
        CustomOrdinal = customOrdinal;
        BuiltIn = builtIn;
    }

    public string Name { get; }

    /// <summary>Text, Number, or Boolean (custom flags, read as numbers 1/0/NaN).</summary>
    public AttributeKind Kind { get; }

    public int CustomOrdinal { get; }

    public ScoringFields.BuiltInField? BuiltIn { get; }

    public bool IsText => Kind == AttributeKind.Text;

    public static FieldBinding BuiltInField(ScoringFields.BuiltInField f) => new(f.Name, f.Kind, -1, f);

    public static FieldBinding Custom(string name, AttributeKind kind, int ordinal) => new(name, kind, ordinal, null);

    /// <summary>Emits IL that reads the field of the lead in argument <paramref name="leadArg"/>: a string, or a double (NaN = missing).</summary>
    public void EmitRead(System.Reflection.Emit.ILGenerator il, short leadArg)
    {
        il.Emit(System.Reflection.Emit.OpCodes.Ldarg, leadArg);
        if (BuiltIn is not null)
        {
            il.Emit(System.Reflection.Emit.OpCodes.Call, BuiltIn.Reader);
            return;
        }

        il.Emit(System.Reflection.Emit.OpCodes.Ldc_I4, CustomOrdinal);
        il.Emit(System.Reflection.Emit.OpCodes.Call, IsText ? ((Func<Lead, int, string?>)FieldReaders.CustomText).Method : ((Func<Lead, int, double>)FieldReaders.CustomNumber).Method);
    }

    public string? ReadText(Lead lead) => BuiltIn is not null ? BuiltIn.ReadText!(lead) : lead.Attributes.GetText(CustomOrdinal);

    public double ReadNumber(Lead lead) => BuiltIn is not null ? BuiltIn.ReadNumber!(lead) : lead.Attributes.GetNumber(CustomOrdinal);
}
