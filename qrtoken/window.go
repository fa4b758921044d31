package qrtoken

import "time"

// Window is one time step of a code's validity, like a TOTP time step: window n spans
// [n*length, (n+1)*length) since the Unix epoch.
type Window struct {
	Number int64
	Start  time.Time
	End    time.Time
}

// DefaultWindow is the default window length: a new code every minute.
const DefaultWindow = 60 * time.Second

func windowNumber(t time.Time, length time.Duration) int64 {
	return floorDiv(t.UnixNano(), int64(length))
}

// floorDiv is a/b rounded down, for b > 0.
func floorDiv(a, b int64) int64 {
	n := a / b
	if a < 0 && a%b != 0 {
		n--
	}
	return n
}

func windowAt(n int64, length time.Duration) Window {
	// Windows are whole seconds (checkWindowLength), so no nanoseconds to normalise.
	sec := int64(length / time.Second)
	return Window{Number: n, Start: time.Unix(n*sec, 0).UTC(), End: time.Unix((n+1)*sec, 0).UTC()}
}

// nearestWindow returns the window whose number is congruent to low modulo 256 and
// nearest to current (within -128..+127): the wire carries only the low byte.
func nearestWindow(current int64, low byte) int64 {
	d := int8(byte(current) - low)
	return current - int64(d)
}

func checkWindowLength(w time.Duration) error {
	if w < time.Second || w > 24*time.Hour || w%time.Second != 0 {
		return errInvalidArgument("Window")
	}
	return nil
}
