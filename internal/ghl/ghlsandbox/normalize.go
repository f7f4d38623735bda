package ghlsandbox

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// normalizePhone stores phone numbers in E.164 (reference §5.1: phone is
// E.164), reading national numbers in the contact's country, else the
// location's. A number that cannot be parsed is kept as entered.
func normalizePhone(raw, country, locationCountry string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	region := strings.ToUpper(country)
	if len(region) != 2 {
		region = strings.ToUpper(locationCountry)
	}
	if len(region) != 2 {
		region = "US"
	}
	n, err := phonenumbers.Parse(raw, region)
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return raw
	}
	return phonenumbers.Format(n, phonenumbers.E164)
}

// normalizeEmail trims an email; HighLevel keeps its case and matches on
// the lower-case form (emailLowerCase).
func normalizeEmail(raw string) string { return strings.TrimSpace(raw) }

// normalizeTag trims and lower-cases a tag: HighLevel shows and matches tags
// in lower case.
func normalizeTag(raw string) string { return strings.ToLower(strings.TrimSpace(raw)) }

// mergeTags appends the tags of add that tags lacks.
func mergeTags(tags []string, add []string) []string {
	for _, t := range add {
		t = normalizeTag(t)
		if t != "" && !containsFold(tags, t) {
			tags = append(tags, t)
		}
	}
	return tags
}

// normalizeTags returns tags normalised and without duplicates.
func normalizeTags(tags []string) []string { return mergeTags([]string{}, tags) }

func containsFold(list []string, s string) bool {
	for _, e := range list {
		if strings.EqualFold(e, s) {
			return true
		}
	}
	return false
}
