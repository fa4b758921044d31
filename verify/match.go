package verify

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// FieldResult is the result of comparing one claimed field with the record.
type FieldResult uint8

// Field results. The zero value is FieldNotProvided.
const (
	// FieldNotProvided: the claim left the field empty; it was not compared.
	FieldNotProvided FieldResult = iota
	// FieldMatch: equal after normalisation (see [NormalizeName], [LatinNameForms]).
	FieldMatch
	// FieldLenientMatch: equal only after lenient folding — a name with its separators
	// removed or its words reordered, or an address that contains the other.
	FieldLenientMatch
	// FieldMismatch: different.
	FieldMismatch
	// FieldNotInRecord: the claim gave a value but the record has none to compare with.
	FieldNotInRecord
)

var fieldResultNames = [...]string{"not-provided", "match", "lenient-match", "mismatch", "not-in-record"}

// String returns "not-provided", "match", "lenient-match", "mismatch" or "not-in-record".
func (f FieldResult) String() string {
	if int(f) < len(fieldResultNames) {
		return fieldResultNames[f]
	}
	return fmt.Sprintf("FieldResult(%d)", uint8(f))
}

// MarshalText encodes f as its String form.
func (f FieldResult) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// Fields holds the comparison result of every claimed field. It holds no personal data.
type Fields struct {
	Name        FieldResult `json:"name"`
	LatinName   FieldResult `json:"latin_name"`
	Gender      FieldResult `json:"gender"`
	BirthDate   FieldResult `json:"birth_date"`
	Nationality FieldResult `json:"nationality"`
	Ethnicity   FieldResult `json:"ethnicity"`
	Address     FieldResult `json:"address"`
}

// MatchName compares a claimed name with a recorded name: [FieldMatch] when their
// [NormalizeName] forms are equal, [FieldLenientMatch] when they are equal only with
// every separator removed, [FieldMismatch] otherwise. An empty claim is
// [FieldNotProvided]; an empty record is [FieldNotInRecord].
func MatchName(claimed, recorded string) FieldResult {
	c, r := NormalizeName(claimed), NormalizeName(recorded)
	switch {
	case c == "":
		return FieldNotProvided
	case r == "":
		return FieldNotInRecord
	case c == r:
		return FieldMatch
	case lenientName(c) == lenientName(r):
		return FieldLenientMatch
	}
	return FieldMismatch
}

// MatchLatinName compares Latin-script names the ICAO 9303 way: [FieldMatch] when any
// transliteration of one ([LatinNameForms]) equals any of the other (MÜLLER matches
// MUELLER and MULLER, case-insensitive, '<', hyphens and apostrophes read as spaces);
// [FieldLenientMatch] when they are equal only with the words in another order or with
// the spaces removed; [FieldMismatch] otherwise.
func MatchLatinName(claimed, recorded string) FieldResult {
	cf, rf := LatinNameForms(claimed), LatinNameForms(recorded)
	switch {
	case len(cf) == 1 && cf[0] == "":
		return FieldNotProvided
	case len(rf) == 1 && rf[0] == "":
		return FieldNotInRecord
	}
	for _, c := range cf {
		if _, ok := slices.BinarySearch(rf, c); ok {
			return FieldMatch
		}
	}
	// Each form's lenient keys are computed once, not once per pair (up to 64 × 64).
	type keys struct{ words, joined string }
	lenient := func(forms []string) []keys {
		k := make([]keys, len(forms))
		for i, f := range forms {
			k[i] = keys{sortedWords(f), strings.ReplaceAll(f, " ", "")}
		}
		return k
	}
	rk := lenient(rf)
	for _, c := range lenient(cf) {
		for _, r := range rk {
			if c.words == r.words || c.joined == r.joined {
				return FieldLenientMatch
			}
		}
	}
	return FieldMismatch
}

func sortedWords(s string) string {
	w := strings.Fields(s)
	slices.Sort(w)
	return strings.Join(w, " ")
}

// minAddressContain is the shortest normalised address, in characters, that may match
// by containment: "北京市" alone must not match a full address.
const minAddressContain = 8

// MatchAddress compares addresses leniently: both are normalised with
// [NormalizeAddress]; equal is [FieldMatch]; one containing the other, where the shorter
// has at least 8 characters, is [FieldLenientMatch] (a claimed address without the
// province, or with the flat number, still matches); anything else is [FieldMismatch].
func MatchAddress(claimed, recorded string) FieldResult {
	c, r := NormalizeAddress(claimed), NormalizeAddress(recorded)
	switch {
	case c == "":
		return FieldNotProvided
	case r == "":
		return FieldNotInRecord
	case c == r:
		return FieldMatch
	}
	short, long := c, r
	if len(short) > len(long) {
		short, long = long, short
	}
	if utf8.RuneCountInString(short) >= minAddressContain && strings.Contains(long, short) {
		return FieldLenientMatch
	}
	return FieldMismatch
}

// matchExact compares two values that need no normalisation beyond the caller's.
func matchExact[T comparable](claimed, recorded T) FieldResult {
	var zero T
	switch {
	case claimed == zero:
		return FieldNotProvided
	case recorded == zero:
		return FieldNotInRecord
	case claimed == recorded:
		return FieldMatch
	}
	return FieldMismatch
}

// normalizeEthnicity folds "汉族" and "汉" to one form.
func normalizeEthnicity(s string) string {
	return strings.TrimSuffix(NormalizeName(s), "族")
}

// compareFields compares every claimed field with the record.
func compareFields(c *Claim, r *Record) Fields {
	return Fields{
		Name:        MatchName(c.Name, r.Name),
		LatinName:   MatchLatinName(c.LatinName, r.LatinName),
		Gender:      matchExact(c.Gender, r.Gender),
		BirthDate:   matchExact(c.BirthDate, r.BirthDate),
		Nationality: matchExact(NormalizeNumber(c.Nationality), NormalizeNumber(r.Nationality)),
		Ethnicity:   matchExact(normalizeEthnicity(c.Ethnicity), normalizeEthnicity(r.Ethnicity)),
		Address:     MatchAddress(c.Address, r.Address),
	}
}
