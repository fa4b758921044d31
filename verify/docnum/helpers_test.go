package docnum

import (
	"errors"
	"strings"
	"testing"
)

var sentinels = []error{ErrLength, ErrCharacter, ErrChecksum, ErrPrefix, ErrProvince, ErrFormat}

// checkError asserts that err is an *Error of format k matching want with
// errors.Is (and no other sentinel), at position pos, whose text does not
// contain the input.
func checkError(t *testing.T, fn, in string, k Format, err, want error, pos int) {
	t.Helper()
	if err == nil {
		t.Errorf("%s(%q) = nil error, want %v", fn, in, want)
		return
	}
	if !errors.Is(err, want) {
		t.Errorf("%s(%q) error = %v, want errors.Is %v", fn, in, err, want)
	}
	for _, s := range sentinels {
		if s != want && errors.Is(err, s) {
			t.Errorf("%s(%q) error = %v also matches %v", fn, in, err, s)
		}
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Errorf("%s(%q) error %T is not *Error", fn, in, err)
		return
	}
	if e.Format != k || e.Pos != pos {
		t.Errorf("%s(%q) error format, pos = %v, %d; want %v, %d", fn, in, e.Format, e.Pos, k, pos)
	}
	if len(in) >= 4 && strings.Contains(err.Error(), in) {
		t.Errorf("%s(%q) error %q echoes the input", fn, in, err)
	}
}
