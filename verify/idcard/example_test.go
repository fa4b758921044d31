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
