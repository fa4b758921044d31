package liveness

import (
	"errors"
	"fmt"
	"io"
	"time"
)

// Action is one movement the person is asked to perform. The names are stable, lower-case
// ASCII codes that a host's analyser and client share; a host may add its own.
type Action string

// The built-in action vocabulary.
const (
	ActionBlink      Action = "blink"
	ActionNod        Action = "nod"
	ActionShakeHead  Action = "shake_head"
	ActionTurnLeft   Action = "turn_left"
	ActionTurnRight  Action = "turn_right"
	ActionOpenMouth  Action = "open_mouth"
	ActionShakePhone Action = "shake_phone"
)

// ActionSpec configures one action of the vocabulary.
type ActionSpec struct {
	// Action is the code: 1 to 32 bytes of a-z, 0-9 and '_'.
	Action Action
	// Window is how long the person has for this step: a step's deadline is the previous
	// step's deadline (or the start of the session plus Config.StartDelay) plus Window.
	Window time.Duration
	// MinDuration is the shortest time a human takes to perform the action; an observed
	// action that is shorter is treated as a replayed or synthesised stream, not as a
	// person. Must be positive and less than Window.
	MinDuration time.Duration
}

// DefaultActions returns the built-in vocabulary with its default windows and minimum
// durations. The minimum durations are deliberately conservative (below the typical human
// ranges: a blink takes 100-400 ms, a head turn several hundred): they catch a synthetic
// stream, not a slow person. Calibrate them against your analyser's timestamps.
func DefaultActions() []ActionSpec {
	return []ActionSpec{
		{ActionBlink, 4 * time.Second, 80 * time.Millisecond},
		{ActionNod, 5 * time.Second, 250 * time.Millisecond},
		{ActionShakeHead, 5 * time.Second, 300 * time.Millisecond},
		{ActionTurnLeft, 5 * time.Second, 200 * time.Millisecond},
		{ActionTurnRight, 5 * time.Second, 200 * time.Millisecond},
		{ActionOpenMouth, 4 * time.Second, 150 * time.Millisecond},
		{ActionShakePhone, 5 * time.Second, 250 * time.Millisecond},
	}
}

const (
	maxActionLen = 32
	minActions   = 4
	maxActions   = 64
	minSteps     = 3
	maxSteps     = 16
	maxDraws     = 1000
)

func validAction(a Action) bool {
	if len(a) == 0 || len(a) > maxActionLen {
		return false
	}
	for i := 0; i < len(a); i++ {
		c := a[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

func (s ActionSpec) validate() error {
	if !validAction(s.Action) {
		return invalidf("action %q: want 1-%d bytes of a-z, 0-9, '_'", s.Action, maxActionLen)
	}
	if s.Window <= 0 {
		return invalidf("action %q: Window must be positive", s.Action)
	}
	if s.MinDuration <= 0 || s.MinDuration >= s.Window {
		return invalidf("action %q: MinDuration must be positive and less than Window", s.Action)
	}
	return nil
}

// byteSource hands out random bytes from r in small batches.
type byteSource struct {
	r   io.Reader
	buf [32]byte
	n   int // unread bytes at the end of buf
}

func (s *byteSource) byte() (byte, error) {
	if s.n == 0 {
		if _, err := io.ReadFull(s.r, s.buf[:]); err != nil {
			return 0, err
		}
		s.n = len(s.buf)
	}
	s.n--
	return s.buf[s.n], nil
}

// uniform returns a uniformly distributed integer in [0, n), 1 <= n <= 256, by rejection
// sampling: bytes at or above the largest multiple of n are discarded, so every value is
// equally likely (b % n alone would favour small values).
func (s *byteSource) uniform(n int) (int, error) {
	limit := 256 - 256%n
	for {
		b, err := s.byte()
		if err != nil {
			return 0, err
		}
		if int(b) < limit {
			return int(b) % n, nil
		}
	}
}

var errNoSequence = errors.New("liveness: could not draw an action sequence")

// drawSequence returns k indices into a vocabulary of n actions, uniformly distributed over
// the acceptable sequences (see acceptable). Each position after the first is drawn
// uniformly from the n-1 actions other than its predecessor, which makes every sequence
// without immediate repeats equally likely; sequences that are too easy to guess are then
// rejected and drawn again, which keeps the result uniform over what remains.
func drawSequence(r io.Reader, n, k int, dst []int) ([]int, error) {
	src := byteSource{r: r}
	for range maxDraws {
		dst = dst[:0]
		prev := -1
		for i := range k {
			var v int
			var err error
			if i == 0 {
				v, err = src.uniform(n)
			} else {
				v, err = src.uniform(n - 1)
				if v >= prev {
					v++
				}
			}
			if err != nil {
				return nil, fmt.Errorf("liveness: reading randomness: %w", err)
			}
			dst = append(dst, v)
			prev = v
		}
		if acceptable(dst, n) {
			return dst, nil
		}
	}
	return nil, errNoSequence
}

// acceptable reports whether a sequence of action indices (vocabulary of n) is hard enough
// to guess. It rejects:
//   - an immediate repeat (the same action twice in a row);
//   - fewer than min(3, len(seq)) distinct actions (so "all the same" and an A-B-A-B
//     alternation never occur);
//   - a fixed rotation through the vocabulary: every step advancing by the same stride
//     modulo n (for example blink, nod, shake_head in configuration order, or the reverse).
func acceptable(seq []int, n int) bool {
	if len(seq) == 0 {
		return false
	}
	var seen [maxActions]bool
	distinct := 0
	for i, v := range seq {
		if i > 0 && v == seq[i-1] {
			return false
		}
		if !seen[v] {
			seen[v] = true
			distinct++
		}
	}
	if distinct < min(3, len(seq)) {
		return false
	}
	if len(seq) >= 2 {
		stride := (seq[1] - seq[0] + n) % n
		constant := true
		for i := 2; i < len(seq); i++ {
			if (seq[i]-seq[i-1]+n)%n != stride {
				constant = false
				break
			}
		}
		if constant {
			return false
		}
	}
	return true
}
