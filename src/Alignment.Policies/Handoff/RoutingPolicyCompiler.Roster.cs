using Alignment.Models;
using System.Collections.Immutable;
using System.Globalization;
using Alignment.Handoff;
using Alignment.Policies.Handoff.Definitions;
using Alignment.Scoring;

namespace Alignment.Policies.Handoff;

internal static partial class RoutingPolicyCompiler
{
    /// <summary>The roster: each rep (caps, time zone, working hours, out of office) and the account owners.</summary>
    private sealed partial class Compilation
    {
        private CompiledRep CompileRep(RepDefinition r, string path, int index, List<TimeZoneInfo> zones, Dictionary<string, int> zoneIndex)
        {
            if (string.IsNullOrWhiteSpace(r.Team))
            {
                RosterError(path + ".team", $"rep '{r.Id}' needs a team");
            }

            string zoneId = string.IsNullOrWhiteSpace(r.TimeZone) ? "UTC" : r.TimeZone.Trim();
            if (!zoneIndex.TryGetValue(zoneId, out int zi))
            {
                if (TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone))
                {
                    zi = zones.Count;
                    zones.Add(zone);
                    zoneIndex.Add(zoneId, zi);
                }
                else
                {
                    RosterError(path + ".timeZone", $"unknown time-zone id '{zoneId}'");
                    zi = 0;
                    if (zones.Count == 0)
                    {
                        zones.Add(TimeZoneInfo.Utc);
                        zoneIndex.Add("UTC", 0);
                    }
                }
            }

            CheckCap(r.MaxOpenLeads, path + ".maxOpenLeads");
            CheckCap(r.MaxLeadsPerDay, path + ".maxLeadsPerDay");
            if (r.Weight is < 1)
            {
                RosterError(path + ".weight", $"must be at least 1 (was {r.Weight})" + PolicyText.Range(1, RoutingPolicyChecks.MaxWeight, ""));
            }
            else if (r.Weight is > RoutingPolicyChecks.MaxWeight)
            {
                RosterError(path + ".weight", PolicyText.TooLarge(r.Weight.Value, 1, RoutingPolicyChecks.MaxWeight, ""));
            }

            CheckTexts(r.Skills, path + ".skills", RosterError);
            CheckTexts(r.Languages, path + ".languages", RosterError);
            CheckTexts(r.Territories, path + ".territories", RosterError);

            ulong[]? week = null;
            var hours = r.WorkingHours ?? [];
            for (int h = 0; h < hours.Count; h++)
            {
                week ??= new ulong[(7 * 1440 + 63) / 64];
                AddHours(hours[h], $"{path}.workingHours[{h}]", week);
            }

            var away = new List<(long From, long To, int Source)>();
            var ooo = r.OutOfOffice ?? [];
            for (int o = 0; o < ooo.Count; o++)
            {
                string op = $"{path}.outOfOffice[{o}]";
                if (ooo[o] is not { From: { } from, To: { } to })
                {
                    RosterError(op, "an out-of-office period needs 'from' and 'to'");
                    continue;
                }

                if (to <= from)
                {
                    RosterError(op + ".to", $"must be later than 'from' ({from:O})");
                    continue;
                }

                away.Add((from.UtcTicks, to.UtcTicks, o));
            }

            away.Sort((a, b) => a.From.CompareTo(b.From));
            for (int k = 1; k < away.Count; k++)
            {
                if (away[k].From < away[k - 1].To)
                {
                    RosterError($"{path}.outOfOffice[{away[k].Source}]", $"overlaps {path}.outOfOffice[{away[k - 1].Source}]");
                }
            }

            var languages = SymbolSet.Of((r.Languages ?? []).Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => _languages.Find(l)), _languages.Count);
            var territories = SymbolSet.Of((r.Territories ?? []).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => _geo.Find(t)), _geo.Count);

            return new CompiledRep
            {
                Id = new RepId(r.Id!),
                Index = index,
                Team = r.Team?.Trim() ?? string.Empty,
                ZoneIndex = zi,
                MaxOpen = r.MaxOpenLeads ?? int.MaxValue,
                MaxPerDay = r.MaxLeadsPerDay ?? int.MaxValue,
                Weight = r.Weight is >= 1 ? r.Weight.Value : 1,
                Manager = string.IsNullOrWhiteSpace(r.Manager) ? null : new RepId(r.Manager),
                WeekMinutes = week,
                AwayFrom = [.. away.Select(a => a.From)],
                AwayTo = [.. away.Select(a => a.To)],
                Languages = languages,
                Territories = territories,
                Skills = new HashSet<string>((r.Skills ?? []).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()), StringComparer.OrdinalIgnoreCase),
            };
        }

        private void CheckCap(int? cap, string path)
        {
            if (cap is < 0)
            {
                RosterError(path, $"a cap cannot be negative (was {cap})" + PolicyText.Range(0, RoutingPolicyChecks.MaxCap, ""));
            }
            else if (cap is > RoutingPolicyChecks.MaxCap)
            {
                RosterError(path, PolicyText.TooLarge(cap.Value, 0, RoutingPolicyChecks.MaxCap, " (leave the cap out for no cap)"));
            }
        }

        private static void CheckTexts(IReadOnlyList<string>? values, string path, Action<string, string> error)
        {
            if (values is null)
            {
                return;
            }

            for (int i = 0; i < values.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(values[i]))
                {
                    error($"{path}[{i}]", "must not be empty");
                }
            }
        }

        private void AddHours(WorkingHoursDefinition? h, string path, ulong[] week)
        {
            if (h is null)
            {
                RosterError(path, "working hours cannot be null");
                return;
            }

            int start = ParseTime(h.Start, path + ".start");
            int end = ParseTime(h.End, path + ".end");
            bool timesOk = start >= 0 && end >= 0;
            if (timesOk && end <= start)
            {
                RosterError(path + ".end", $"must be later than the start ({h.Start})");
                timesOk = false;
            }

            if (h.Days is null || h.Days.Count == 0)
            {
                RosterError(path + ".days", "needs at least one day");
                return;
            }

            for (int d = 0; d < h.Days.Count; d++)
            {
                int day = ParseDay(h.Days[d]);
                if (day < 0)
                {
                    RosterError($"{path}.days[{d}]", $"unknown day '{h.Days[d]}' (use mon, tue, wed, thu, fri, sat, sun)");
                    continue;
                }

                if (!timesOk)
                {
                    continue;
                }

                SetMinutes(week, day * 1440 + start, day * 1440 + end);
            }
        }

        // Sets the bits [from, to) a word at a time, so that a day listed many times costs little.
        private static void SetMinutes(ulong[] week, int from, int to)
        {
            while (from < to)
            {
                int bit = from & 63;
                int n = Math.Min(64 - bit, to - from);
                week[from >> 6] |= (n == 64 ? ulong.MaxValue : ((1UL << n) - 1)) << bit;
                from += n;
            }
        }

        private int ParseTime(string? text, string path)
        {
            if (text is not null && text.Length == 5 && text[2] == ':'
                && int.TryParse(text.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int hh)
                && int.TryParse(text.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int mm)
                && mm < 60 && (hh < 24 || (hh == 24 && mm == 0)))
            {
                return hh * 60 + mm;
            }

            RosterError(path, $"'{text}' is not a time of day (HH:mm, 00:00 to 24:00)");
            return -1;
        }

        private static int ParseDay(string? text)
        {
            if (string.IsNullOrWhiteSpace(text) || text.Trim().Length < 3)
            {
                return -1;
            }

            var t = text.Trim();
            for (int i = 0; i < DayNames.Length; i++)
            {
                if (DayNames[i].StartsWith(t, StringComparison.OrdinalIgnoreCase) && (t.Length == 3 || t.Length == DayNames[i].Length))
                {
                    return i;
                }
            }

            return -1;
        }

        private void CompileAccount(AccountOwnerDefinition? a, string path, Dictionary<string, int> repIndex, int[] byAccount, int[] byDomain)
        {
            if (a is null)
            {
                RosterError(path, "an account cannot be null");
                return;
            }

            if (string.IsNullOrWhiteSpace(a.AccountId) && string.IsNullOrWhiteSpace(a.Domain))
            {
                RosterError(path, "an account needs an accountId or a domain");
            }

            int owner = -1;
            if (string.IsNullOrWhiteSpace(a.Owner))
            {
                RosterError(path + ".owner", "an account needs an owner");
            }
            else if (!repIndex.TryGetValue(a.Owner, out owner))
            {
                RosterError(path + ".owner", $"unknown rep id '{a.Owner}'");
                owner = -1;
            }

            if (!string.IsNullOrWhiteSpace(a.AccountId))
            {
                int s = _accounts.Find(a.AccountId);
                if (byAccount[s] >= 0)
                {
                    RosterError(path + ".accountId", $"account '{a.AccountId}' already has an owner");
                }

                byAccount[s] = owner;
            }

            if (!string.IsNullOrWhiteSpace(a.Domain))
            {
                int s = _domains.Find(NormalizeDomain(a.Domain));
                if (byDomain[s] >= 0)
                {
                    RosterError(path + ".domain", $"domain '{a.Domain}' already has an owner");
                }

                byDomain[s] = owner;
            }
        }
    }
}
