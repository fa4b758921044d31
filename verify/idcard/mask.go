package idcard

import (
	"fmt"
	"log/slog"
	"strconv"
)

// masked returns the first six and last four characters with eight
// asterisks between them: 110105********002X.
func (n Number) masked() string {
	if n.IsZero() {
		return ""
	}
	d := n.plain()
	var b [18]byte
	copy(b[:6], d[:6])
	for i := 6; i < 14; i++ {
		b[i] = '*'
	}
	copy(b[14:], d[14:])
	return string(b[:])
}

// String returns the masked number, e.g. 110105********002X (first six and
// last four characters of the 18-digit form, for legacy numbers too); ""
// for the zero Number. Use [Number.Digits] for the full number.
func (n Number) String() string { return n.masked() }

// Format writes the masked number for every verb, so %v, %+v, %#v, %s, %d,
// %x and the rest never print the full number; %q quotes the masked form.
func (n Number) Format(f fmt.State, verb rune) {
	s := n.masked()
	if verb == 'q' {
		s = strconv.Quote(s)
	}
	_, _ = f.Write([]byte(s))
}

// LogValue makes log/slog record the masked number.
func (n Number) LogValue() slog.Value { return slog.StringValue(n.masked()) }

var (
	_ fmt.Stringer   = Number{}
	_ fmt.Formatter  = Number{}
	_ slog.LogValuer = Number{}
)
