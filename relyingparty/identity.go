package relyingparty

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/trustid/trustid/internal/mask"
	"github.com/trustid/trustid/verify"
)

// Identity is what the host's records say about the person a decision is about: the source
// of every claim beyond the result. The provider checks IDNumber against the decision
// ([verify.Decision.IsPerson]) before releasing anything from it.
type Identity struct {
	Name      string
	IDNumber  string
	BirthDate verify.Date
}

func (i Identity) masked() string {
	return fmt.Sprintf("relyingparty.Identity{Name: %s, IDNumber: %s, BirthDate: %s}",
		mask.Name(i.Name), mask.Middle(i.IDNumber, 6, 4), mask.Middle(i.BirthDate.String(), 0, 0))
}

// String masks every field.
func (i Identity) String() string { return i.masked() }

// GoString masks every field.
func (i Identity) GoString() string { return i.masked() }

// Format masks every field for every verb.
func (i Identity) Format(f fmt.State, verb rune) { mask.Format(f, verb, i.masked(), i.masked()) }

// LogValue masks every field.
func (i Identity) LogValue() slog.Value { return slog.StringValue(i.masked()) }

// MarshalJSON masks every field.
func (i Identity) MarshalJSON() ([]byte, error) { return []byte(fmt.Sprintf("%q", i.masked())), nil }

// IdentitySource gives the identity behind a decision, from the host's records (the
// document check's claim, kept by the host under the decision's check ID or subject). The
// provider calls it only when the person consented to release a claim, and refuses to
// release anything when the identity returned is not the decision's person. err is for
// system failures; a source without a record for the decision returns an error too.
type IdentitySource interface {
	Identity(ctx context.Context, d verify.Decision) (Identity, error)
}
