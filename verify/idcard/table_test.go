package idcard

import "testing"

// TestRegionTableWellFormed checks the generated table's invariants that
// the bisection relies on: four ASCII digits per entry, strictly ascending,
// counts as recorded, every current code also known.
func TestRegionTableWellFormed(t *testing.T) {
	for name, tab := range map[string]*[100]string{"regionKnown": &regionKnown, "regionCurrent": &regionCurrent} {
		total := 0
		for p, s := range tab {
			if len(s)%4 != 0 {
				t.Fatalf("%s[%d]: length %d not a multiple of 4", name, p, len(s))
			}
			for i := 0; i < len(s); i += 4 {
				for _, c := range []byte(s[i : i+4]) {
					if c < '0' || c > '9' {
						t.Fatalf("%s[%d]: non-digit in entry %q", name, p, s[i:i+4])
					}
				}
				if i > 0 && s[i-4:i] >= s[i:i+4] {
					t.Fatalf("%s[%d]: %q not after %q", name, p, s[i:i+4], s[i-4:i])
				}
				if !searchSuffix(s, s[i], s[i+1], s[i+2], s[i+3]) {
					t.Fatalf("%s[%d]: entry %q not found by searchSuffix", name, p, s[i:i+4])
				}
				if name == "regionCurrent" && !searchSuffix(regionKnown[p], s[i], s[i+1], s[i+2], s[i+3]) {
					t.Errorf("current code %02d%s missing from regionKnown", p, s[i:i+4])
				}
			}
			total += len(s) / 4
		}
		want := regionKnownCount
		if name == "regionCurrent" {
			want = regionCurrentCount
		}
		if total != want {
			t.Errorf("%s has %d codes, want %d", name, total, want)
		}
	}
	// Every mainland province has county data.
	for _, p := range []int{11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65} {
		if len(regionKnown[p]) < 4*10 || len(regionCurrent[p]) < 4*10 {
			t.Errorf("province %d: %d known, %d current codes", p, len(regionKnown[p])/4, len(regionCurrent[p])/4)
		}
	}
}
