package pgstore

import (
	"testing"

	"github.com/trustid/trustid/quiz/quiztest"
	"github.com/trustid/trustid/store/storetest"
)

// TestMatchesMemory runs the core's differential suite: one pseudo-random sequence of
// claims, takes and resets against the in-memory defaults and PostgreSQL, with identical
// results required (times from 1999 to 2090, rules whose ends pass the year 2262).
func TestMatchesMemory(t *testing.T) {
	s, _ := newStore(t)
	storetest.RunDifferential(t, s, s)
}

// TestAskedMatchesMemory does the same for the asked store against quiz's memory store.
func TestAskedMatchesMemory(t *testing.T) {
	s, _ := newStore(t)
	quiztest.AskedStoreDifferential(t, s.AskedStore())
}
