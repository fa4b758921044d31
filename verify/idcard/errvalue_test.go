package idcard_test

import (
	"errors"
	"testing"

	"github.com/trustid/trustid/verify/idcard"
)

// TestErrorsAreValues: the preallocated rejection errors reach each caller as a copy, so
// a caller that changes what it got changes nothing for the next one.
func TestErrorsAreValues(t *testing.T) {
	const bad = "110105194912310020" // check character wrong
	_, err := idcard.Parse(bad, refNow)
	var e idcard.Error
	if !errors.As(err, &e) || e.Reason != idcard.ReasonChecksum {
		t.Fatalf("Parse(%q) = %v", bad, err)
	}
	e.Reason = idcard.ReasonLength
	_, again := idcard.Parse(bad, refNow)
	if !errors.Is(again, idcard.ErrChecksum) || errors.Is(again, idcard.ErrLength) {
		t.Errorf("a caller's change reached another caller's error: %v", again)
	}
}
