using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace NftPS.Cmdlets.Lockout;

/// <summary>-ConfirmWithin takes a TimeSpan, a number of seconds, or a duration as nft writes one ("90s", "5m", "1h",
/// "500ms"; PowerShell reads a bare 3s as the number 3, a short); each is checked to lie between 1 millisecond and one day. A string is one duration or refused.</summary>
internal sealed partial class ConfirmWindowAttribute : ArgumentTransformationAttribute
{
    private static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    [GeneratedRegex(@"^\s*(\d{1,9})(ms|s|m|h)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Duration();

    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        object value = inputData is PSObject p ? p.BaseObject : inputData;
        TimeSpan window = value switch
        {
            TimeSpan t => t,
            sbyte or byte or short or ushort or int or uint or long or ulong or double or float or decimal => TimeSpan.FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            string s => Parse(s),
            _ => throw new ArgumentTransformationMetadataException($"-ConfirmWithin takes a TimeSpan, seconds or a duration such as 90s, not {value?.GetType().Name ?? "null"}."),
        };
        if (window <= TimeSpan.Zero || window > Longest)
            throw new ArgumentTransformationMetadataException($"-ConfirmWithin must be longer than zero and at most one day; {window} is not.");
        return window;
    }

    private static TimeSpan Parse(string s)
    {
        if (Duration().Match(s) is { Success: true } m)
        {
            long n = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return m.Groups[2].Value.ToLowerInvariant() switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                _ => TimeSpan.FromHours(n),
            };
        }
        if (TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out var t)) return t;
        throw new ArgumentTransformationMetadataException($"'{s}' is not a duration: write 90s, 5m, 1h, 500ms or 00:01:30.");
    }
}
