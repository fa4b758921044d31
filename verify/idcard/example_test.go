package idcard_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/trustid/trustid/verify/idcard"
)

// The number is the example of GB 11643-1999, Appendix A.
func ExampleParse() {
	now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	n, err := idcard.Parse("11010519491231002X", now)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n.Kind())
	fmt.Println(n) // masked
	fmt.Println(n.BirthDate().Format(time.DateOnly))
	fmt.Println(n.Gender())
	fmt.Println(n.AgeAt(now))

	_, err = idcard.Parse("110105194912310021", now)
	fmt.Println(errors.Is(err, idcard.ErrChecksum), err)
	// Output:
	// resident
	// 110105********002X
	// 1949-12-31
	// female
	// 76
	// true idcard: bad check character at position 17
}

func ExampleUpgrade15() {
	s, err := idcard.Upgrade15("110105491231002")
	fmt.Println(s, err)
	// Output: 11010519491231002X <nil>
}

func ExampleSamePerson() {
	now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	legacy, _ := idcard.Parse("110105491231002", now)
	full, _ := idcard.Parse("11010519491231002X", now)
	fmt.Println(legacy == full, idcard.SamePerson(legacy, full))
	// Output: false true
}

// A host shows where a number was first issued, with the years the code was
// in use, rather than a bare code.
func ExampleLookupRegion() {
	r := idcard.LookupRegion("413001")
	fmt.Println(r.Status, r.Province, r.Prefecture, r.County, r.FirstYear, r.LastYear)
	if r.Status == idcard.RegionHistorical {
		fmt.Printf("%s (until %d)\n", r.County, r.LastYear)
	}
	fmt.Println(idcard.LookupRegion("460302"))
	fmt.Println(idcard.LookupRegion("110199").Status)
	// Output:
	// historical 河南省 信阳地区 信阳市 1981 1997
	// 信阳市 (until 1997)
	// 海南省 三沙市 西沙区 (2020-)
	// unknown
}

// A code reused for another city after a gap has one span per use.
func ExampleRegionSpans() {
	for r := range idcard.RegionSpans("419001") {
		fmt.Println(r)
	}
	// Output:
	// 河南省 义马市 (1987-1989)
	// 河南省 济源市 (1996-)
}

// With CheckRegionYears, a code that left use before the birth year is
// refused; by default it is accepted.
func ExampleOptions_checkRegionYears() {
	now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	const n = "413001200001010019" // 信阳市 (last listed 1997), born 2000
	_, err := idcard.Parse(n, now)
	fmt.Println(err)
	_, err = idcard.ParseWith(n, idcard.Options{Now: now, CheckRegionYears: true})
	fmt.Println(errors.Is(err, idcard.ErrRegion), err)
	// Output:
	// <nil>
	// true idcard: region code out of use before the birth year at position 2
}
