package wallet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/trustid/trustid/internal/mask"
	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/verify"
)

// Issuer issues QR identity codes. *qrtoken.Issuer implements it; a host may wrap one
// (to count, to log) or put a remote issuing service behind it.
type Issuer interface {
	Issue(ctx context.Context, claims qrtoken.Claims, purpose qrtoken.Purpose) (qrtoken.Code, error)
}

var _ Issuer = (*qrtoken.Issuer)(nil)

// Presentation is a code issued for a credential.
type Presentation struct {
	// Code is the QR identity code; Code.Text goes into the QR symbol. It is a bearer
	// credential until it expires: do not log it.
	Code   qrtoken.Code
	Kind   verify.CredentialKind
	Handle Handle
}

// StatusChecker is the reader side's online revocation check: after a reader opened a
// code (qrtoken.Reader.Open), it asks whether the credential behind the code is still
// active. *Wallet implements it; a reader in another process calls it through the host's
// own transport.
type StatusChecker interface {
	CheckPresented(ctx context.Context, code string) (PresentedStatus, error)
}

var (
	_ StatusChecker         = (*Wallet)(nil)
	_ qrtoken.StatusChecker = (*Wallet)(nil)
)

// PresentedStatus is the answer of an online status check for a presented code.
type PresentedStatus struct {
	Kind   verify.CredentialKind
	Handle Handle
	// Status is the credential's status in effect at the check, not at issue.
	Status Status
	// Purpose is the name of the purpose the code was issued for.
	Purpose string
	// Expires is when the wallet forgets the presentation: the code's expiry plus
	// Config.PresentationGrace.
	Expires time.Time
}

// claimsFor fills exactly the claims purpose carries (qrtoken refuses any other) from
// the credential. The ID number is given for the kinds whose number is the holder's GB
// 11643 number (ID card, residence permit, driving licence, household register), also
// when the purpose carries only facts derived from it (masked number, birth date,
// gender, age predicates).
func claimsFor(c *Credential, p qrtoken.Purpose) qrtoken.Claims {
	var cl qrtoken.Claims
	has := p.Claims.Has
	if has(qrtoken.ClaimName) {
		cl.Name = c.Holder.Name
	}
	idKind := c.Kind.IdentityNumbered()
	needsID := has(qrtoken.ClaimIDNumber) || has(qrtoken.ClaimMaskedIDNumber)
	derived := has(qrtoken.ClaimBirthDate) || has(qrtoken.ClaimGender) || len(p.AgeOver) > 0
	if idKind && (needsID || derived) {
		cl.IDNumber = c.Number // birth date and gender follow from it
	} else {
		if (has(qrtoken.ClaimBirthDate) || len(p.AgeOver) > 0) && !c.Holder.BirthDate.IsZero() {
			d := c.Holder.BirthDate
			cl.BirthDate = time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
		}
		if has(qrtoken.ClaimGender) {
			cl.Gender = c.Holder.Gender // the one Gender: idcard.Gender
		}
	}
	if has(qrtoken.ClaimAddress) {
		cl.Address = c.Holder.Address
	}
	return cl
}

// PresentRequest asks Present for a code. Its output forms (String, GoString, Format,
// LogValue, MarshalText, MarshalJSON) mask the holder and the ticket.
type PresentRequest struct {
	// Holder names the person whose wallet holds the credential.
	Holder HolderRef
	// Handle names the credential to present (Credential.Handle).
	Handle Handle
	// Purpose is the code's purpose: the claims it carries.
	Purpose qrtoken.Purpose
	// EventID and Ticket are the facts of a ticketed purpose (qrtoken.ClaimEventID,
	// qrtoken.ClaimTicket, as in qrtoken.PurposeStadiumGate) that no credential holds:
	// the host takes them from its ticketing. qrtoken checks them: they are required
	// by a purpose that carries them and refused (qrtoken.ErrClaimNotInPurpose) by one
	// that does not; the ticket is at most qrtoken.MaxTicketBytes of printable text.
	EventID uint32
	Ticket  string
}

func (r PresentRequest) masked() string {
	return fmt.Sprintf("{Holder:%s Handle:%s Purpose:%s EventID:%d Ticket:%s}", r.Holder.masked(),
		mask.Middle(string(r.Handle), 6, 0), r.Purpose.Name, r.EventID, mask.Middle(r.Ticket, 0, 4))
}

// String returns the masked request.
func (r PresentRequest) String() string { return r.masked() }

// GoString returns the masked request, so %#v shows no personal data.
func (r PresentRequest) GoString() string { return "wallet.PresentRequest" + r.masked() }

// Format writes the masked request for every verb.
func (r PresentRequest) Format(f fmt.State, verb rune) {
	mask.Format(f, verb, r.masked(), r.GoString())
}

// LogValue logs the masked request.
func (r PresentRequest) LogValue() slog.Value { return slog.StringValue(r.masked()) }

// MarshalText returns the masked request.
func (r PresentRequest) MarshalText() ([]byte, error) { return []byte(r.masked()), nil }

// MarshalJSON returns the masked request as a JSON string.
func (r PresentRequest) MarshalJSON() ([]byte, error) { return json.Marshal(r.masked()) }

// Present issues a QR identity code for req.Purpose from the holder's credential
// req.Handle, through Config.Issuer. The code carries exactly the claims of the purpose:
// the personal ones taken from the credential, the event and ticket from the request. A
// credential that is not active at the wallet's clock (expired, not yet valid,
// suspended, reported lost, revoked, superseded) is refused with an *Error matching
// [ErrInactive] whose Reason says why; an expiry noticed here is recorded. A holder who
// already has Config.MaxPresentations live presentations is refused with
// [ErrTooManyPresentations] (a presentation lives until its code's expiry plus
// Config.PresentationGrace; expired ones are dropped first). A presented event is
// recorded, and the code is remembered (by an HMAC of its text) until its expiry plus
// Config.PresentationGrace, so that readers can check it online with
// [Wallet.CheckPresented].
//
// Claims the issuer refuses (a purpose asking for a fact the credential does not hold,
// a missing or malformed event or ticket) fail with the issuer's error (qrtoken's
// ErrMissingClaim, ErrClaimNotInPurpose, ...), wrapped.
func (w *Wallet) Present(ctx context.Context, req PresentRequest) (Presentation, error) {
	if w == nil {
		return Presentation{}, invalid("present", "wallet")
	}
	const op = "present"
	if w.cfg.Issuer == nil {
		return Presentation{}, newErr(op, ReasonNoIssuer, 0, "", nil)
	}
	now := w.cfg.Now()
	holderKey, _, err := w.holderKey(op, req.Holder, now)
	if err != nil {
		return Presentation{}, err
	}
	purpose := req.Purpose
	var out Presentation
	err = w.update(ctx, op, holderKey, false, func(st *state) (bool, error) {
		out = Presentation{}
		expired := w.expireDue(st, now)
		i := slices.IndexFunc(st.Credentials, func(c Credential) bool { return c.Handle == req.Handle })
		if i < 0 {
			return expired, newErr(op, ReasonNotFound, 0, "credential", nil)
		}
		c := &st.Credentials[i]
		if _, reason := c.ActiveAt(now); reason != "" {
			return expired, newErr(op, reason, c.Kind, "", nil)
		}
		live := 0
		for _, p := range st.Presentations {
			if !now.After(p.Expires) {
				live++
			}
		}
		if live >= w.cfg.MaxPresentations {
			return expired, newErr(op, ReasonTooManyPresentations, 0, "", nil)
		}
		claims := claimsFor(c, purpose)
		claims.EventID, claims.Ticket = req.EventID, req.Ticket
		code, err := w.cfg.Issuer.Issue(ctx, claims, purpose)
		if err != nil {
			return expired, fmt.Errorf("wallet: present %s: issuing the code: %w", c.Kind, err)
		}
		st.Presentations = append(st.Presentations, presentation{
			Key:     w.mac("presentation", code.Text()),
			Handle:  c.Handle,
			Purpose: purpose.Name,
			Expires: code.Expires.Add(w.cfg.PresentationGrace),
		})
		st.History = append(st.History, HistoryEntry{Time: now, Type: HistoryPresented, Kind: c.Kind, Handle: c.Handle, Actor: ActorHolder, Detail: purpose.Name})
		out = Presentation{Code: code, Kind: c.Kind, Handle: c.Handle}
		return true, nil
	})
	if err != nil {
		return Presentation{}, err
	}
	w.cfg.Logger.DebugContext(ctx, "wallet: presented", "kind", out.Kind.String(), "purpose", purpose.Name)
	return out, nil
}

// CheckPresented is the online revocation check for a code the wallet presented: it
// finds the credential behind the code's text (by an HMAC of the text, through the
// store's index) and returns its status now. For a credential no longer active it
// returns the status together with an *Error matching [ErrInactive] (Reason: revoked,
// reported_lost, suspended, expired, superseded); for a code the wallet did not issue,
// or whose presentation was forgotten after its grace period, [ErrNotFound]. It does not
// authenticate the code or check its window: open it with qrtoken.Reader first.
func (w *Wallet) CheckPresented(ctx context.Context, code string) (PresentedStatus, error) {
	if w == nil {
		return PresentedStatus{}, invalid("check-presented", "wallet")
	}
	const op = "check-presented"
	key := w.mac("presentation", code)
	holderKey, err := w.findHolder(ctx, op, presentationIndexKey(key))
	if err != nil {
		return PresentedStatus{}, err
	}
	_, st, err := w.load(ctx, op, holderKey)
	if err != nil {
		return PresentedStatus{}, err
	}
	now := w.cfg.Now()
	i := slices.IndexFunc(st.Presentations, func(p presentation) bool { return p.Key == key })
	if i < 0 || now.After(st.Presentations[i].Expires) {
		return PresentedStatus{}, newErr(op, ReasonNotFound, 0, "", nil)
	}
	p := st.Presentations[i]
	j := slices.IndexFunc(st.Credentials, func(c Credential) bool { return c.Handle == p.Handle })
	if j < 0 {
		return PresentedStatus{}, newErr(op, ReasonNotFound, 0, "", nil)
	}
	c := st.Credentials[j]
	s, reason := c.ActiveAt(now)
	ps := PresentedStatus{Kind: c.Kind, Handle: c.Handle, Status: s, Purpose: p.Purpose, Expires: p.Expires}
	if reason != "" {
		return ps, newErr(op, reason, c.Kind, "", nil)
	}
	return ps, nil
}

// CheckStatus implements qrtoken.StatusChecker, so that a reader in the wallet's process
// checks the credential behind every code inside qrtoken.Reader.Open and cannot forget
// to: qrtoken.ReaderConfig{..., StatusChecker: w}. It runs [Wallet.CheckPresented] on the
// code's text. A credential no longer active ([ErrInactive]: revoked, suspended, reported
// lost, expired, superseded) and a code the wallet did not present or has forgotten
// ([ErrNotFound]) are refused with an error matching qrtoken.ErrStatusRefused that wraps
// the wallet's *Error (its Reason says why); any other error, such as a store failure, is
// returned as it is, and the reader refuses the code as qrtoken.ErrUnavailable. Check-ins
// and offline codes are not presentations of the wallet: a reader wired to it refuses
// them as unknown.
func (w *Wallet) CheckStatus(ctx context.Context, text string, _ qrtoken.Opened) error {
	_, err := w.CheckPresented(ctx, text)
	if errors.Is(err, ErrInactive) || errors.Is(err, ErrNotFound) {
		return fmt.Errorf("%w: %w", qrtoken.ErrStatusRefused, err)
	}
	return err
}
