using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vpp.Domain.Assets;
using Vpp.Domain.Validation;

namespace Vpp.Domain.Tests.Assets;

public sealed class EntityIdTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("Z")]
    [InlineData("_")]
    [InlineData("battery-001")]
    [InlineData("Fleet.North_2")]
    [InlineData("1a")]
    [InlineData("12345x")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("...")]
    [InlineData(".a")]
    public void Valid_ids(string id)
    {
        Assert.True(EntityId.IsValid(id));
        Assert.Null(EntityId.Problem(id));
    }

    [Theory]
    [InlineData("", "is required")]
    [InlineData(null, "is required")]
    [InlineData("12345", "must contain at least one non-digit character")]
    [InlineData("0", "must contain at least one non-digit character")]
    [InlineData("a/b", "may only contain letters, digits, '.', '_' and '-'")]
    [InlineData("a b", "may only contain letters, digits, '.', '_' and '-'")]
    [InlineData("fleet~p001", "may only contain letters, digits, '.', '_' and '-'")]
    [InlineData("café", "may only contain letters, digits, '.', '_' and '-'")]
    [InlineData("١٢٣a", "may only contain letters, digits, '.', '_' and '-'")] // Arabic-Indic digits are not ASCII
    [InlineData("a:b", "may only contain letters, digits, '.', '_' and '-'")]
    [InlineData("battery\n", "may only contain letters, digits, '.', '_' and '-'")]
    [InlineData(".", "cannot be '.' or '..' (a URL cannot address it)")]
    [InlineData("..", "cannot be '.' or '..' (a URL cannot address it)")]
    public void Invalid_ids_say_what_is_wrong(string? id, string problem)
    {
        Assert.False(EntityId.IsValid(id));
        Assert.Equal(problem, EntityId.Problem(id));
    }

    [Fact]
    public void Sixty_four_characters_are_allowed_and_sixty_five_are_not()
    {
        Assert.True(EntityId.IsValid(new string('a', 64)));
        Assert.False(EntityId.IsValid(new string('a', 65)));
        Assert.Equal("must be at most 64 characters", EntityId.Problem(new string('a', 65)));
    }

    [Fact]
    public void Check_adds_an_error_under_the_given_field_name()
    {
        var errors = new FieldErrors();

        EntityId.Check(errors, "assetId", "a/b");
        EntityId.Check(errors, "fleetId", "fleet-1");

        var error = Assert.Single(errors.Errors);
        Assert.Equal("assetId", error.Field);
    }

    [Fact]
    public void Throw_if_invalid_throws_a_validation_error_naming_the_field()
    {
        var ex = Assert.Throws<DomainValidationException>(() => EntityId.ThrowIfInvalid("fleetId", "12345"));

        Assert.Equal("fleetId", Assert.Single(ex.Errors).Field);
        Assert.Contains("fleetId", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Throw_if_invalid_accepts_a_valid_id()
    {
        EntityId.ThrowIfInvalid("fleetId", "fleet-1");
    }

    [Property(Arbitrary = new[] { typeof(EntityIdArbitraries) })]
    public void Any_string_of_allowed_characters_up_to_64_long_with_a_non_digit_is_valid(AllowedId id)
    {
        // "." and ".." are the exception: URLs resolve them as path segments, so no request could name them.
        var expected = id.Value.Any(c => !char.IsAsciiDigit(c)) && id.Value is not ("." or "..");
        Assert.Equal(expected, EntityId.IsValid(id.Value));
    }

    [Property(Arbitrary = new[] { typeof(EntityIdArbitraries) })]
    public void An_id_with_any_character_outside_the_allowed_set_is_invalid(AllowedId id, char other)
    {
        if (char.IsAsciiLetterOrDigit(other) || other is '.' or '_' or '-')
        {
            return;
        }

        var core = id.Value.Length >= EntityId.MaxLength ? id.Value[..(EntityId.MaxLength - 1)] : id.Value;
        var withOther = core.Insert(core.Length / 2, other.ToString());

        Assert.Equal("may only contain letters, digits, '.', '_' and '-'", EntityId.Problem(withOther));
    }

    [Fact]
    public void An_all_digit_id_of_64_characters_is_invalid_but_one_letter_makes_it_valid()
    {
        var digits = new string('7', 64);

        Assert.False(EntityId.IsValid(digits));
        Assert.True(EntityId.IsValid("x" + digits[1..]));
    }
}

public sealed record AllowedId(string Value)
{
    public override string ToString() => $"\"{Value}\"";
}

public static class EntityIdArbitraries
{
    private const string Allowed = "abcxyzABCXYZ0123456789._-";

    public static Arbitrary<AllowedId> AllowedIds() => Arb.From(
        from length in Gen.Frequency((3, Gen.Choose(1, 8)), (1, Gen.Choose(1, 64)), (1, Gen.Constant(64)))
        from chars in Gen.ArrayOf(Gen.Frequency((1, Gen.Elements(Allowed.ToCharArray())), (1, Gen.Elements("0123456789".ToCharArray()))), length)
        select new AllowedId(new string(chars)));
}
