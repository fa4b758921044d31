// Command quickstart runs the trustid journey on in-memory defaults with a synthetic person.
//
//	go run ./examples/quickstart
package main

import (
	"crypto/rand"
	"fmt"
	"os"
	"time"

	"github.com/trustid/trustid/verify/idcard"
	"github.com/trustid/trustid/verify/mrz"
)

func main() {
	if err := run(os.Stdout, time.Now()); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(w *os.File, now time.Time) error {
	step := func(name string, start time.Time) {
		fmt.Fprintf(w, "  (%s took %v)\n", name, time.Since(start).Round(time.Microsecond))
	}

	fmt.Fprintln(w, "1. Document rules")
	t := time.Now()
	num, err := idcard.Generate(rand.Reader, idcard.GenOptions{})
	if err != nil {
		return err
	}
	id, err := idcard.Parse(num, now)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   synthetic ID number %v: %v, born %s, %v\n", id, id.Kind(), id.BirthDate().Format("2006-01-02"), id.Gender())
	doc, err := mrz.Parse("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10", now)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   ICAO 9303 specimen passport: %v\n", doc)
	step("document rules", t)
	return nil
}
