package qrtoken

import (
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

// RecoveryLevel is a QR error correction level (ISO/IEC 18004 §7.5.1), named by the
// standard's letters. go-qrcode's own names are misleading (its High is Q, its Highest is
// H), so this package maps them.
type RecoveryLevel uint8

// Error correction levels: about 7 %, 15 %, 25 % and 30 % of the symbol may be damaged.
const (
	RecoveryL RecoveryLevel = iota + 1
	RecoveryM
	RecoveryQ
	RecoveryH
)

// String returns "L", "M", "Q" or "H".
func (l RecoveryLevel) String() string {
	switch l {
	case RecoveryL:
		return "L"
	case RecoveryM:
		return "M"
	case RecoveryQ:
		return "Q"
	case RecoveryH:
		return "H"
	}
	return fmt.Sprintf("RecoveryLevel(%d)", uint8(l))
}

func (l RecoveryLevel) goqr() (qrcode.RecoveryLevel, error) {
	switch l {
	case RecoveryL:
		return qrcode.Low, nil
	case RecoveryM:
		return qrcode.Medium, nil
	case RecoveryQ:
		return qrcode.High, nil
	case RecoveryH:
		return qrcode.Highest, nil
	}
	return 0, errInvalidArgument("level")
}

// maxQRText is the most characters any QR symbol holds: version 40 at level L in numeric
// mode. Longer text is refused before the encoder sees it, which would otherwise lay out
// all of it (megabytes for a long string) before finding that it does not fit.
const maxQRText = 7089

func newQR(text string, level RecoveryLevel) (*qrcode.QRCode, error) {
	if len(text) > maxQRText {
		return nil, errInvalidArgument("text")
	}
	l, err := level.goqr()
	if err != nil {
		return nil, err
	}
	q, err := qrcode.New(text, l)
	if err != nil {
		return nil, fmt.Errorf("qrtoken: QR encoding: %w", err)
	}
	return q, nil
}

// Version returns the QR symbol version (1 to 40; version v has 17+4v modules a side)
// that text needs at level, with go-qrcode's segment choice: a code's base45 text is all
// alphanumeric mode. Text longer than any QR symbol holds (7089 characters) is refused
// with [ErrInvalidArgument] before it is encoded, as by PNG and Terminal.
func Version(text string, level RecoveryLevel) (int, error) {
	q, err := newQR(text, level)
	if err != nil {
		return 0, err
	}
	return q.VersionNumber, nil
}

// PNG renders text as a size×size pixel PNG image at level, with the standard quiet zone
// of 4 modules. When size is too small for one pixel per module a larger image is
// returned; a negative size gives -size pixels per module instead.
func PNG(text string, size int, level RecoveryLevel) ([]byte, error) {
	q, err := newQR(text, level)
	if err != nil {
		return nil, err
	}
	return q.PNG(size)
}

// Terminal renders text at level as lines of Unicode half blocks (two modules per
// character cell vertically), light modules drawn, for a terminal with a dark background.
func Terminal(text string, level RecoveryLevel) (string, error) {
	q, err := newQR(text, level)
	if err != nil {
		return "", err
	}
	return q.ToSmallString(false), nil
}
