package idcard

import (
	"fmt"
	"testing"
)

// TestRegionTableWellFormed checks the generated table's invariants that
// lookups rely on: province ranges in order, suffixes ascending, the spans
// of one code ordered and disjoint, names in range, counts as recorded.
func TestRegionTableWellFormed(t *testing.T) {
	if regionStart[0] != 0 || int(regionStart[100]) != regionSpanCount {
		t.Fatalf("regionStart spans 0..%d, want 0..%d", regionStart[100], regionSpanCount)
	}
	for _, n := range []int{len(regionSuffix), len(regionFirst), len(regionLast), len(regionProvince), len(regionPrefecture), len(regionCounty)} {
		if n != regionSpanCount {
			t.Fatalf("a span array has %d entries, want %d", n, regionSpanCount)
		}
	}
	for i := 1; i < len(regionNameStart); i++ {
		if regionNameStart[i] < regionNameStart[i-1] || int(regionNameStart[i]) > len(regionNames) {
			t.Fatalf("regionNameStart[%d] = %d out of order or range", i, regionNameStart[i])
		}
	}
	if int(regionNameStart[len(regionNameStart)-1]) != len(regionNames) || regionName(0) != "" {
		t.Fatal("names do not cover regionNames exactly, or name 0 is not empty")
	}
	codes, listed := 0, 0
	for p := range 100 {
		lo, hi := int(regionStart[p]), int(regionStart[p+1])
		if lo > hi {
			t.Fatalf("regionStart[%d] > regionStart[%d]", p, p+1)
		}
		for i := lo; i < hi; i++ {
			code := fmt.Sprintf("%02d%04d", p, regionSuffix[i])
			if regionSuffix[i] > 9999 || int(regionProvince[i]) >= len(regionProvinceNames) ||
				int(regionPrefecture[i]) >= len(regionNameStart)-1 || int(regionCounty[i]) >= len(regionNameStart)-1 {
				t.Fatalf("span %d (%s): value out of range", i, code)
			}
			first, last := regionFirst[i], regionLast[i]
			if (first == yearUnknown) != (last == yearUnknown) || first != yearUnknown && last != yearInUse &&
				(last < first || int(last)+yearBase >= regionNewestYear) || int(first)+yearBase > regionNewestYear {
				t.Fatalf("span %d (%s): years %d..%d", i, code, first, last)
			}
			if i == lo || regionSuffix[i-1] != regionSuffix[i] {
				codes++
				if first != yearUnknown {
					listed++
				}
			} else {
				// A later span of the same code: after the previous one ended.
				pf, pl := regionFirst[i-1], regionLast[i-1]
				if pf == yearUnknown || first == yearUnknown || pl == yearInUse || first <= pl {
					t.Fatalf("span %d (%s): years %d..%d after %d..%d", i, code, first, last, pf, pl)
				}
			}
			if i > lo && regionSuffix[i-1] > regionSuffix[i] {
				t.Fatalf("span %d (%s) not after span %d", i, code, i-1)
			}
			if j, n := findRegion(code); n == 0 || i < j || i >= j+n {
				t.Fatalf("span %d (%s) not found by findRegion (%d, %d)", i, code, j, n)
			}
			r := regionAt(i)
			if r.Province == "" || (regionSuffix[i]%100 != 0) != (r.County != "") ||
				regionSuffix[i]%10000 != 0 && regionSuffix[i]%100 == 0 && r.Prefecture == "" {
				t.Errorf("span %d (%s): names %+v do not fit the level of the code", i, code, r)
			}
		}
	}
	if codes != regionCodeCount || listed != regionListedCount {
		t.Errorf("%d codes, %d listed; want %d, %d", codes, listed, regionCodeCount, regionListedCount)
	}
	// Every mainland province has current county-level codes.
	for _, p := range []int{11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65} {
		n := 0
		for i := regionStart[p]; i < regionStart[p+1]; i++ {
			if regionLast[i] == yearInUse && regionSuffix[i]%100 != 0 {
				n++
			}
		}
		if n < 10 {
			t.Errorf("province %d: %d current county-level codes", p, n)
		}
	}
}

// TestRegionYearTotals checks the number of codes in use at the end of a
// year against the Ministry of Civil Affairs year-end list of that year as
// published in yescallop/areacodes (commit eed219a, data/YYYY.txt: its
// number of lines, less 810000 and 820000, which the table leaves to the
// residence-permit rules). The generator checks every year code by code;
// this guards the committed table.
func TestRegionYearTotals(t *testing.T) {
	want := map[int]int{
		1981: 2640, // data/1981.txt: 2640 lines
		1990: 3203, // 3203 lines
		1997: 3229, // 3230 lines, one of them 810000
		2000: 3229, // 3231 lines, two of them 810000 and 820000
		2010: 3224, // 3226 lines
		2017: 3217, // 3219 lines
		2018: 3216, // 3218 lines
		2020: 3209, // 3211 lines
		2024: 3211, // 3213 lines
	}
	got := map[int]int{}
	for y := range want {
		for i := range regionSpanCount {
			first, last := regionFirst[i], regionLast[i]
			if first != yearUnknown && int(first)+yearBase <= y && (last == yearInUse || y <= int(last)+yearBase) {
				got[y]++
			}
		}
	}
	for y, w := range want {
		if got[y] != w {
			t.Errorf("codes in use at the end of %d: %d, want %d", y, got[y], w)
		}
	}
}
