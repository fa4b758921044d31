package mrz_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/trustid/trustid/verify/mrz"
)

func ExampleParse() {
	// The TD3 passport specimen of ICAO Doc 9303 Part 4, Appendix A.
	zone := "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n" +
		"L898902C36UTO7408122F1204159ZE184226B<<<<<10\n"
	readAt := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC) // inject the clock

	doc, err := mrz.Parse(zone, readAt)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(doc.Layout, doc.DocumentCode, doc.IssuingState)
	fmt.Println(doc.BirthDate.Format(time.DateOnly), doc.ExpiryDate.Format(time.DateOnly), doc.Expired(readAt))
	fmt.Println(doc) // masked

	// One mistyped character: the date of birth check digit fails.
	_, err = mrz.Parse("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"+
		"L898902C36UTO7408132F1204159ZE184226B<<<<<10", readAt)
	fmt.Println(errors.Is(err, mrz.ErrCheckDigit), err)
	// Output:
	// TD3 P UTO
	// 1974-08-12 2012-04-15 true
	// mrz.Document{TD3 P UTO number=L8******3 name="E***, A*** M***" nationality=UTO born=1974-**-** sex=F expires=2012-04-15}
	// true mrz: check digit mismatch: date of birth check digit (line 2, column 20)
}

func ExampleCheckDigit() {
	d, _ := mrz.CheckDigit("L898902C3")
	fmt.Printf("%c\n", d)
	// Output: 6
}
