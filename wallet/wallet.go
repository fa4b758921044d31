package wallet

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/trustid/trustid/internal/mask"
	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
)

// HolderRef names the person whose wallet is meant. Every output form masks it (String,
// GoString, Format, LogValue, MarshalText, MarshalJSON).
type HolderRef struct {
	// IDNumber is the holder's identity number in the GB 11643 layout: the key under
	// which the police registries hold the person's credentials. A mainland resident's
	// citizen number (18 or 15 digits), the number of a Hong Kong, Macao or Taiwan
	// resident's residence permit (81/82/83 prefix) or of a 2023 foreign permanent
	// resident ID card: whoever can pass the document check with an identity-numbered
	// credential (verify.ParseNumber) can hold a wallet. It is normalised as
	// verify.ParseNumber normalises numbers (a 15-digit number names the same holder as
	// its 18-digit upgrade). The wallet stores it only as an HMAC key and inside the
	// (sealable) record. Link links only a decision about this number's person
	// (verify.Decision.IsPerson).
	IDNumber string
}

func (h HolderRef) masked() string {
	return "{IDNumber:" + mask.Middle(h.IDNumber, 6, 4) + "}"
}

// String returns the masked reference.
func (h HolderRef) String() string { return h.masked() }

// GoString returns the masked reference, so %#v shows no personal data.
func (h HolderRef) GoString() string { return "wallet.HolderRef" + h.masked() }

// Format writes the masked reference for every verb.
func (h HolderRef) Format(f fmt.State, verb rune) { mask.Format(f, verb, h.masked(), h.GoString()) }

// LogValue logs the masked reference.
func (h HolderRef) LogValue() slog.Value { return slog.StringValue(h.masked()) }

// MarshalText returns the masked reference.
func (h HolderRef) MarshalText() ([]byte, error) { return []byte(h.masked()), nil }

// MarshalJSON returns the masked reference as a JSON string.
func (h HolderRef) MarshalJSON() ([]byte, error) { return json.Marshal(h.masked()) }

// Source is the host's access to the authoritative registries (the population register,
// exit-entry administration, traffic administration, ...). Credentials returns every
// credential the registries hold for the holder, with the registry's status. Errors are
// system failures; a holder with no credentials is an empty slice. The wallet calls it
// only after a passing decision at the required level (Link), or for a wallet that was
// so linked before (Refresh).
type Source interface {
	Credentials(ctx context.Context, holder HolderRef) ([]Credential, error)
}

// SourceFunc adapts a function to the Source interface.
type SourceFunc func(ctx context.Context, holder HolderRef) ([]Credential, error)

// Credentials calls f.
func (f SourceFunc) Credentials(ctx context.Context, holder HolderRef) ([]Credential, error) {
	return f(ctx, holder)
}

// Config configures a Wallet. Zero values are replaced by the defaults given.
type Config struct {
	// Source answers for the registries. Required.
	Source Source
	// Store keeps the wallets. Default: NewMemoryStore() (personal data in clear in
	// memory; wrap it with NewSealedStore to seal it).
	Store Store
	// IndexKey (at least 32 bytes from crypto/rand) keys the HMAC-SHA-256 of every
	// store key: holder keys, credential handles, presentation keys. All instances
	// sharing a store must share it; changing it orphans every stored wallet. It is
	// not a seal key and must not be derived from one. Required when Store is set (New
	// fails with ErrInvalidArgument without it); only with the default in-memory store
	// does it default to 32 random bytes, private to this Wallet.
	IndexKey []byte
	// Decisions opens the decision tokens given to Link (verify.Decision.Token).
	// Required. Build it with verify.NewDecisionSealer from the same keys as the
	// checker's verify.Config.Keys, or pass the checker's own (verify.Checker.Decisions).
	// Link accepts only a decision it opens: one a checker holding these keys made.
	Decisions *verify.DecisionSealer
	// RequiredLevel is the assurance level a decision must reach before the
	// registries are asked. Default: verify.LevelRealPerson (the face check passed).
	RequiredLevel verify.Level
	// Issuer issues QR identity codes for Present. Optional: without it Present fails
	// with ErrNoIssuer.
	Issuer Issuer
	// PresentationGrace is how long after a code's expiry the wallet still answers
	// CheckPresented for it (readers accept a code for their skew beyond its window).
	// Default 2 minutes.
	PresentationGrace time.Duration
	// MaxPresentations bounds the live presentations of one holder (codes issued and
	// not yet past their expiry plus PresentationGrace); Present refuses beyond it with
	// ErrTooManyPresentations until some expire. It bounds the record, and with it the
	// cost of every write. Default 64: a holder whose app shows a new code every
	// minute has about five live.
	MaxPresentations int
	// MaxPresentedEvents bounds the "presented" events kept per wallet; the oldest
	// are dropped beyond it (every other event is kept). Default 256.
	MaxPresentedEvents int
	// MaxRetries bounds the retries of one update against a store shared with other
	// processes: a save refused with store.ErrConflict (another writer saved first) is
	// retried on a fresh load, up to MaxRetries times after the first attempt, and then
	// the update fails with an error matching store.ErrConflict. Default 3 (as in
	// verify/review).
	MaxRetries int
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Logger receives one debug record per change, with masked or no personal data.
	// Default: silent.
	Logger *slog.Logger
}

// Wallet links, keeps and presents credentials. It is safe for concurrent use by many
// goroutines: updates of one holder are serialised in the process and, across
// processes sharing a Store, by its record versions. Its methods on a nil *Wallet
// return an error matching ErrInvalidArgument (HandleOf returns "").
type Wallet struct {
	cfg   Config
	key   []byte
	locks [64]sync.Mutex
}

// New validates cfg, fills defaults and returns a Wallet.
func New(cfg Config) (*Wallet, error) {
	if cfg.Source == nil {
		return nil, invalid("new", "Config.Source")
	}
	if cfg.Decisions == nil {
		return nil, invalid("new", "Config.Decisions")
	}
	if cfg.Store == nil {
		cfg.Store = NewMemoryStore()
	} else if cfg.IndexKey == nil {
		// A random key would leave every wallet in the host's store unreachable after
		// a restart, or from any other instance.
		return nil, invalid("new", "Config.IndexKey")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	switch {
	case cfg.RequiredLevel == verify.LevelNone:
		cfg.RequiredLevel = verify.LevelRealPerson
	case !cfg.RequiredLevel.Valid():
		return nil, invalid("new", "Config.RequiredLevel")
	}
	if cfg.PresentationGrace < 0 || cfg.MaxPresentations < 0 || cfg.MaxPresentedEvents < 0 || cfg.MaxRetries < 0 {
		return nil, invalid("new", "Config")
	}
	if cfg.MaxPresentations == 0 {
		cfg.MaxPresentations = 64
	}
	if cfg.PresentationGrace == 0 {
		cfg.PresentationGrace = 2 * time.Minute
	}
	if cfg.MaxPresentedEvents == 0 {
		cfg.MaxPresentedEvents = 256
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = 3
	}
	w := &Wallet{cfg: cfg}
	switch {
	case cfg.IndexKey != nil && len(cfg.IndexKey) < 32:
		return nil, invalid("new", "Config.IndexKey")
	case cfg.IndexKey != nil:
		w.key = slices.Clone(cfg.IndexKey)
	default:
		w.key = make([]byte, 32)
		rand.Read(w.key) // crypto/rand: never fails (Go 1.24+)
	}
	return w, nil
}

// mac returns the base64url HMAC-SHA-256 of the domain-separated parts under the index key.
func (w *Wallet) mac(domain string, parts ...string) string {
	m := hmac.New(sha256.New, w.key)
	m.Write([]byte("trustid/wallet/" + domain + "/v1"))
	for _, p := range parts {
		var n [4]byte
		n[0], n[1], n[2], n[3] = byte(len(p)>>24), byte(len(p)>>16), byte(len(p)>>8), byte(len(p))
		m.Write(n[:])
		m.Write([]byte(p))
	}
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// holderKey returns the store key of the holder and the canonical 18-character number.
func (w *Wallet) holderKey(op string, h HolderRef, now time.Time) (string, string, error) {
	n, err := parseHolderID(h.IDNumber, now)
	if err != nil {
		return "", "", newErr(op, ReasonInvalidArgument, 0, "holder_id", err)
	}
	return w.mac("holder", n.Digits()), n.Digits(), nil
}

// HandleOf returns the handle the wallet gives a credential: an HMAC of its kind,
// canonical number and start of validity. c must be in canonical form (see Validate).
func (w *Wallet) HandleOf(c Credential) Handle {
	if w == nil {
		return ""
	}
	return Handle(w.mac("credential", c.Kind.String(), c.Number, c.ValidFrom.String()))
}

// slot names the place a credential takes in a wallet: one per kind, except vehicle
// licences, one per vehicle (VIN). A new document in an occupied slot replaces the old.
func slot(c *Credential) string {
	if c.Kind == verify.KindVehicleLicence && c.Vehicle != nil {
		return c.Kind.String() + "/" + c.Vehicle.VIN
	}
	return c.Kind.String()
}

func (w *Wallet) lock(holderKey string) *sync.Mutex {
	h := fnv.New32a()
	h.Write([]byte(holderKey))
	return &w.locks[h.Sum32()%uint32(len(w.locks))]
}

// update loads the holder's wallet, applies fn and saves the result if fn reports a
// change, retrying on version conflicts. fn runs once per attempt on a fresh state and
// must not keep results across attempts. fn's error is returned after a save of its
// changes (so an expiry noticed while refusing a presentation is still recorded).
func (w *Wallet) update(ctx context.Context, op, holderKey string, create bool, fn func(st *state) (bool, error)) error {
	mu := w.lock(holderKey)
	mu.Lock()
	defer mu.Unlock()
	for range 1 + w.cfg.MaxRetries {
		rec, st, err := w.load(ctx, op, holderKey)
		switch {
		case errors.Is(err, ErrNotFound) && create:
			rec, st = StoredWallet{Holder: holderKey}, &state{}
		case err != nil:
			return err
		}
		changed, ferr := fn(st)
		if !changed {
			return ferr
		}
		w.prune(st)
		rec.Data, err = st.encode()
		if err != nil {
			return fmt.Errorf("wallet: %s: encoding: %w", op, err)
		}
		if len(rec.Data) > maxStateBytes {
			// Saving it would leave a record that no longer loads (or, sealed, does
			// not seal): keep the stored one.
			return newErr(op, ReasonRecordTooLarge, 0, "", nil)
		}
		rec.Index = st.index()
		if _, err := w.cfg.Store.Save(ctx, rec); errors.Is(err, store.ErrConflict) {
			continue
		} else if err != nil {
			return fmt.Errorf("wallet: %s: store: %w", op, err)
		}
		return ferr
	}
	return newErr(op, ReasonConflict, 0, "", nil)
}

func (w *Wallet) load(ctx context.Context, op, holderKey string) (StoredWallet, *state, error) {
	rec, err := w.cfg.Store.Load(ctx, holderKey)
	if errors.Is(err, ErrNotFound) {
		return StoredWallet{}, nil, newErr(op, ReasonNotFound, 0, "wallet", err)
	}
	if err != nil {
		return StoredWallet{}, nil, fmt.Errorf("wallet: %s: store: %w", op, err)
	}
	st, err := decodeState(rec.Data)
	if err != nil {
		return StoredWallet{}, nil, err
	}
	return rec, st, nil
}

// prune drops presentations past their grace period, used decisions past their
// validity and the oldest "presented" events beyond the configured maximum.
func (w *Wallet) prune(st *state) {
	now := w.cfg.Now()
	st.Presentations = slices.DeleteFunc(st.Presentations, func(p presentation) bool { return now.After(p.Expires) })
	st.Decisions = slices.DeleteFunc(st.Decisions, func(d usedDecision) bool { return !now.Before(d.Until) })
	n := 0
	for _, e := range st.History {
		if e.Type == HistoryPresented {
			n++
		}
	}
	if drop := n - w.cfg.MaxPresentedEvents; drop > 0 {
		st.History = slices.DeleteFunc(st.History, func(e HistoryEntry) bool {
			if e.Type == HistoryPresented && drop > 0 {
				drop--
				return true
			}
			return false
		})
	}
}

// LinkResult reports what a Link or Refresh changed.
type LinkResult struct {
	// Changes lists one entry per credential the answer changed: linked, replaced,
	// refreshed or a status event, in the order of the source's answer.
	Changes []Change
	// Unchanged counts the credentials already in the wallet exactly as answered.
	Unchanged int
	// Stale counts credentials ignored because the wallet holds a newer document of
	// the same slot (or had already superseded that one).
	Stale int
	// Rejected lists the credentials of the answer that broke a document rule. They
	// are not linked; the others are.
	Rejected []Rejected
}

// Change is one credential a Link or Refresh changed.
type Change struct {
	Kind   verify.CredentialKind
	Handle Handle
	Type   HistoryKind
}

// Rejected is a credential of the source's answer that was not linked.
type Rejected struct {
	// Index is the credential's position in the source's answer.
	Index int
	Kind  verify.CredentialKind
	// Err is an *Error matching ErrInvalidCredential.
	Err error
}

// LinkRequest asks Link to link a holder's credentials after a verification. Its output
// forms (String, GoString, Format, LogValue, MarshalText, MarshalJSON) mask the holder
// and leave out the token.
type LinkRequest struct {
	// Decision is the token of the passing decision (verify.Decision.Token, made by
	// verify.Checker.Decide). A verify.Decision value without its token links nothing.
	// The token is a bearer credential until its ValidUntil: do not log it.
	Decision string
	// Holder names the person whose wallet is linked; the decision must be about this
	// person.
	Holder HolderRef
}

func (r LinkRequest) masked() string {
	return "{Holder:" + r.Holder.masked() + " Decision:[" + strconv.Itoa(len(r.Decision)) + " bytes]}"
}

// String returns the masked request, without the token.
func (r LinkRequest) String() string { return r.masked() }

// GoString returns the masked request, so %#v shows no personal data.
func (r LinkRequest) GoString() string { return "wallet.LinkRequest" + r.masked() }

// Format writes the masked request for every verb.
func (r LinkRequest) Format(f fmt.State, verb rune) { mask.Format(f, verb, r.masked(), r.GoString()) }

// LogValue logs the masked request.
func (r LinkRequest) LogValue() slog.Value { return slog.StringValue(r.masked()) }

// MarshalText returns the masked request.
func (r LinkRequest) MarshalText() ([]byte, error) { return []byte(r.masked()), nil }

// MarshalJSON returns the masked request as a JSON string.
func (r LinkRequest) MarshalJSON() ([]byte, error) { return json.Marshal(r.masked()) }

// openDecision authenticates a decision token and applies the linking rules to it. It
// returns the decision and the key that records its single use.
func (w *Wallet) openDecision(token string, h HolderRef, now time.Time) (verify.Decision, string, error) {
	const op = "link"
	d, err := w.cfg.Decisions.Open(token)
	switch {
	case errors.Is(err, verify.ErrExpired):
		return d, "", newErr(op, ReasonDecisionStale, 0, "", nil)
	case err != nil:
		return d, "", newErr(op, ReasonDecisionNotAuthentic, 0, "", nil)
	case d.Outcome != verify.OutcomePass:
		return d, "", newErr(op, ReasonNotPassed, 0, "", nil)
	case !d.Level.Valid() || d.Level < w.cfg.RequiredLevel:
		return d, "", newErr(op, ReasonLevelTooLow, 0, "", nil)
	case !now.Before(d.ValidUntil):
		// The sealer's clock may lag the wallet's: the wallet relies on its own, so a
		// used decision is never forgotten (prune) while it still links.
		return d, "", newErr(op, ReasonDecisionStale, 0, "", nil)
	case !d.IsPerson(h.IDNumber):
		return d, "", newErr(op, ReasonSubjectMismatch, 0, "", nil)
	}
	// A decision is named by its document check and its time: a token re-sealed from
	// the same decision is the same decision; a later decision on the same check (say,
	// after a face check raised the level) is another.
	return d, w.mac("decision", d.CheckID, d.DecidedAt.UTC().Format(time.RFC3339Nano)), nil
}

// Link links the holder's credentials after a verification. req.Decision must be the
// token of a decision that Config.Decisions authenticates; a decision built or edited by
// hand, or sealed under another key, is refused ([ErrNotAuthentic], reason
// decision_not_authentic). Link refuses too, without asking the source, a decision that
// is not a pass ([ErrNotPassed]), that passed below Config.RequiredLevel
// ([ErrLevelTooLow]), that is about another person than req.Holder
// (verify.Decision.IsPerson; [ErrSubjectMismatch]), whose ValidUntil has passed
// ([ErrDecisionStale]) or that already linked ([store.ErrReplayed], reason
// decision_used): a decision links once. While 64 other decisions that linked the
// wallet are within their validity it refuses any other (store.ErrLockedOut, reason
// too_many_links, with a *store.LockedOutError). It then asks the source and merges the
// answer into the wallet:
//
//   - a credential not yet in the wallet is linked at the decision's level;
//   - the same document again (same handle) changes nothing, unless the registry reports
//     changed fields or a new status, which are recorded as refreshed or as the status
//     event (a suspension or loss report made through [Wallet.SetStatus] is not lifted
//     by the registry reporting the document active); linking the same documents again
//     changes no credential;
//   - a different document for an occupied slot (a new ID card number or validity, a
//     renewed passport) replaces the current one, which becomes superseded and stays in
//     the wallet's history; an older document than the current one is ignored (stale);
//   - credentials that break a document rule are rejected one by one (LinkResult.Rejected);
//   - credentials the source no longer returns are left as they are: a registry that
//     is down must not empty a wallet. Revocations come through their status.
//
// The decision is recorded as used in the same save as the credentials, so a Link that
// fails (the source unavailable, a store conflict after retries) leaves it usable.
func (w *Wallet) Link(ctx context.Context, req LinkRequest) (LinkResult, error) {
	if w == nil {
		return LinkResult{}, invalid("link", "wallet")
	}
	const op = "link"
	h := req.Holder
	now := w.cfg.Now()
	holderKey, digits, err := w.holderKey(op, h, now)
	if err != nil {
		return LinkResult{}, err
	}
	d, used, err := w.openDecision(req.Decision, h, now)
	if err == nil {
		// Refuse a replay before the source is asked; update checks again, atomically
		// with the save.
		err = w.checkUnused(ctx, holderKey, used, now)
	}
	if err != nil {
		w.cfg.Logger.DebugContext(ctx, "wallet: link refused", "holder", h, "reason", ReasonOf(err))
		return LinkResult{}, err
	}
	return w.sync(ctx, op, holderKey, digits, h, d.Level, &usedDecision{Key: used, Until: d.ValidUntil})
}

// maxUsedDecisions bounds the decisions a wallet remembers as used (each until its
// ValidUntil), and so the decisions that may link one wallet within a validity period.
const maxUsedDecisions = 64

// checkUnused refuses a decision the holder's wallet recorded as used.
func (w *Wallet) checkUnused(ctx context.Context, holderKey, used string, now time.Time) error {
	_, st, err := w.load(ctx, "link", holderKey)
	switch {
	case errors.Is(err, ErrNotFound):
		return nil
	case err != nil:
		return err
	}
	return decisionUnused(st, used, now)
}

// decisionUnused refuses a decision recorded as used, and any decision while
// maxUsedDecisions others are still within their validity.
func decisionUnused(st *state, key string, now time.Time) error {
	live, retry := 0, time.Time{}
	for _, u := range st.Decisions {
		if subtle.ConstantTimeCompare([]byte(u.Key), []byte(key)) == 1 {
			return newErr("link", ReasonDecisionUsed, 0, "", nil)
		}
		if now.Before(u.Until) {
			live++
			if retry.IsZero() || u.Until.Before(retry) {
				retry = u.Until
			}
		}
	}
	if live >= maxUsedDecisions {
		return newErr("link", ReasonTooManyLinks, 0, "", &store.LockedOutError{RetryAt: retry})
	}
	return nil
}

// Refresh asks the source again for a holder whose wallet was linked before and merges
// the answer as Link does (keeping each credential's level). It needs no new decision,
// so a host can keep wallets current from a schedule; it fails with ErrNotFound for a
// holder who never linked, so the source is never asked about a person who did not pass
// verification.
func (w *Wallet) Refresh(ctx context.Context, h HolderRef) (LinkResult, error) {
	if w == nil {
		return LinkResult{}, invalid("refresh", "wallet")
	}
	now := w.cfg.Now()
	holderKey, digits, err := w.holderKey("refresh", h, now)
	if err != nil {
		return LinkResult{}, err
	}
	if _, _, err := w.load(ctx, "refresh", holderKey); err != nil {
		return LinkResult{}, err
	}
	return w.sync(ctx, "refresh", holderKey, digits, h, verify.LevelNone, nil)
}

// sync asks the source and merges its answer. With a decision (Link) it creates the
// wallet if needed and records the decision as used; without one (Refresh) the wallet
// must exist.
func (w *Wallet) sync(ctx context.Context, op, holderKey, digits string, h HolderRef, level verify.Level, decision *usedDecision) (LinkResult, error) {
	answer, err := w.cfg.Source.Credentials(ctx, h)
	if err != nil {
		return LinkResult{}, newErr(op, ReasonUnavailable, 0, "", err)
	}
	now := w.cfg.Now()
	var rejected []Rejected
	incoming := make([]Credential, 0, len(answer))
	from := make([]int, 0, len(answer)) // index in the answer of each incoming credential
	bySlot := map[string]int{}
	for i, c := range answer {
		v, err := Validate(c, digits, now)
		if err != nil {
			rejected = append(rejected, Rejected{Index: i, Kind: c.Kind, Err: err})
			continue
		}
		v.Handle = w.HandleOf(v)
		v.Level = level
		v.SupersededBy = ""
		v.LinkedAt, v.UpdatedAt = time.Time{}, time.Time{}
		s := slot(&v)
		if j, ok := bySlot[s]; ok {
			// Two documents for one slot in one answer: keep the newer, as the
			// registry's current document; an exact duplicate is dropped quietly.
			if incoming[j].Handle == v.Handle {
				continue
			}
			older := i
			if v.ValidFrom.Compare(incoming[j].ValidFrom) > 0 {
				incoming[j], older, from[j] = v, from[j], i
			}
			rejected = append(rejected, Rejected{Index: older, Kind: c.Kind,
				Err: newErr(op, ReasonDuplicateInBatch, c.Kind, "number", nil)})
			continue
		}
		bySlot[s] = len(incoming)
		incoming = append(incoming, v)
		from = append(from, i)
	}
	var res LinkResult
	err = w.update(ctx, op, holderKey, decision != nil, func(st *state) (bool, error) {
		res = LinkResult{Rejected: rejected}
		changed := false
		if decision != nil {
			if err := decisionUnused(st, decision.Key, now); err != nil {
				return false, err
			}
			st.Decisions = append(st.Decisions, *decision)
			changed = true
		}
		for _, c := range incoming {
			if w.merge(st, c, now, &res) {
				changed = true
			}
		}
		if w.expireDue(st, now) {
			changed = true
		}
		return changed, nil
	})
	if err != nil {
		return LinkResult{}, err
	}
	w.cfg.Logger.DebugContext(ctx, "wallet: "+op, "holder", h, "changes", len(res.Changes),
		"unchanged", res.Unchanged, "stale", res.Stale, "rejected", len(res.Rejected))
	return res, nil
}

// merge applies one validated incoming credential to the state.
func (w *Wallet) merge(st *state, c Credential, now time.Time, res *LinkResult) bool {
	// New documents enter by the holder's linking (or by the registry on a refresh);
	// changes of known documents are the registry's.
	actor := ActorRegistry
	if c.Level != verify.LevelNone {
		actor = ActorHolder
	}
	record := func(t HistoryKind, cur *Credential, detail string) {
		a := actor
		if t != HistoryLinked && t != HistoryReplaced && t != HistorySuperseded {
			a = ActorRegistry
		}
		st.History = append(st.History, HistoryEntry{Time: now, Type: t, Kind: cur.Kind, Handle: cur.Handle, Actor: a, Detail: detail})
		res.Changes = append(res.Changes, Change{Kind: cur.Kind, Handle: cur.Handle, Type: t})
	}
	if i := slices.IndexFunc(st.Credentials, func(e Credential) bool { return e.Handle == c.Handle }); i >= 0 {
		cur := &st.Credentials[i]
		if cur.Status == StatusSuperseded {
			res.Stale++
			return false
		}
		changed := false
		if c.Level > cur.Level {
			cur.Level = c.Level
			changed = true
		}
		fieldsChanged := !sameFields(*cur, c)
		if fieldsChanged {
			cur.Holder, cur.Authority, cur.ValidUntil, cur.LongTerm = c.Holder, c.Authority, c.ValidUntil, c.LongTerm
			cur.Source, cur.Household, cur.Driver, cur.Vehicle = c.Source, c.Household, c.Driver, c.Vehicle
			changed = true
		}
		statusEvent := HistoryKind(0)
		// A hold placed in the wallet (SetStatus) is lifted only by SetStatus or by a
		// final status from the registry: a registry that still reports the document
		// active or held does not undo a loss report it never heard of.
		held := heldLocally(st, cur)
		if c.Status != cur.Status && !cur.Status.Final() && (!held || c.Status.Final()) {
			statusEvent = statusEventOf(cur.Status, c.Status)
			cur.Status = c.Status
			changed = true
		}
		if !changed {
			res.Unchanged++
			return false
		}
		cur.UpdatedAt = now
		switch {
		case fieldsChanged:
			record(HistoryRefreshed, cur, "")
		case statusEvent == 0:
			// Only the level rose: the holder's stronger decision, not the registry.
			st.History = append(st.History, HistoryEntry{Time: now, Type: HistoryRefreshed, Kind: cur.Kind, Handle: cur.Handle, Actor: ActorHolder, Detail: "level " + cur.Level.String()})
			res.Changes = append(res.Changes, Change{Kind: cur.Kind, Handle: cur.Handle, Type: HistoryRefreshed})
		}
		if statusEvent != 0 {
			record(statusEvent, cur, "")
		}
		return true
	}
	s := slot(&c)
	c.LinkedAt, c.UpdatedAt = now, now
	if c.Level == verify.LevelNone {
		// A refresh found a new document: it inherits the level of the one it
		// replaces, or the lowest level the wallet ever linked at.
		c.Level = w.inheritLevel(st, s)
	}
	i := slices.IndexFunc(st.Credentials, func(e Credential) bool { return e.Status != StatusSuperseded && slot(&e) == s })
	if i < 0 {
		st.Credentials = append(st.Credentials, c)
		record(HistoryLinked, &c, "")
		return true
	}
	old := &st.Credentials[i]
	if c.ValidFrom.Compare(old.ValidFrom) < 0 {
		res.Stale++
		return false
	}
	old.Status, old.SupersededBy, old.UpdatedAt = StatusSuperseded, c.Handle, now
	st.History = append(st.History, HistoryEntry{Time: now, Type: HistorySuperseded, Kind: old.Kind, Handle: old.Handle, Actor: actor, Detail: string(c.Handle)})
	oldHandle := old.Handle
	st.Credentials = append(st.Credentials, c)
	record(HistoryReplaced, &c, string(oldHandle))
	return true
}

// heldLocally reports whether cur is suspended or reported lost by a SetStatus actor
// rather than by the registry: the latest suspension, loss report or reinstatement
// event of the credential decides.
func heldLocally(st *state, cur *Credential) bool {
	if cur.Status != StatusSuspended && cur.Status != StatusReportedLost {
		return false
	}
	for i := len(st.History) - 1; i >= 0; i-- {
		e := &st.History[i]
		if e.Handle != cur.Handle {
			continue
		}
		switch e.Type {
		case HistorySuspended, HistoryReportedLost:
			return e.Actor != ActorRegistry
		case HistoryReinstated:
			return false
		}
	}
	return false
}

func (w *Wallet) inheritLevel(st *state, s string) verify.Level {
	lvl := verify.Level(0)
	for _, e := range st.Credentials {
		if slot(&e) == s && e.Status != StatusSuperseded {
			return e.Level
		}
		if lvl == 0 || e.Level < lvl {
			lvl = e.Level
		}
	}
	if lvl == 0 {
		lvl = w.cfg.RequiredLevel
	}
	return lvl
}

// sameFields reports whether the registry's fields of two versions of one document agree.
func sameFields(a, b Credential) bool {
	eq := func(x, y any) bool { return fmt.Sprint(x) == fmt.Sprint(y) }
	return a.Holder == b.Holder && a.Authority == b.Authority && a.ValidUntil == b.ValidUntil &&
		a.LongTerm == b.LongTerm && a.Source == b.Source &&
		eq(derefH(a.Household), derefH(b.Household)) && eq(derefD(a.Driver), derefD(b.Driver)) && eq(derefV(a.Vehicle), derefV(b.Vehicle))
}

func derefH(p *Household) Household {
	if p == nil {
		return Household{}
	}
	return *p
}

func derefD(p *DriverLicence) DriverLicence {
	if p == nil {
		return DriverLicence{}
	}
	return *p
}

func derefV(p *VehicleLicence) VehicleLicence {
	if p == nil {
		return VehicleLicence{}
	}
	return *p
}

func statusEventOf(from, to Status) HistoryKind {
	switch to {
	case StatusExpired:
		return HistoryExpired
	case StatusSuspended:
		return HistorySuspended
	case StatusReportedLost:
		return HistoryReportedLost
	case StatusRevoked:
		return HistoryRevoked
	case StatusSuperseded:
		return HistorySuperseded
	case StatusActive:
		return HistoryReinstated
	}
	return HistoryRefreshed
}

// expireDue marks active credentials whose validity ended as expired, recording it.
func (w *Wallet) expireDue(st *state, now time.Time) bool {
	changed := false
	for i := range st.Credentials {
		c := &st.Credentials[i]
		if c.Status == StatusActive {
			if s, _ := c.ActiveAt(now); s == StatusExpired {
				c.Status, c.UpdatedAt = StatusExpired, now
				st.History = append(st.History, HistoryEntry{Time: now, Type: HistoryExpired, Kind: c.Kind, Handle: c.Handle, Actor: ActorSystem})
				changed = true
			}
		}
	}
	return changed
}

// Credentials returns every credential of the holder's wallet, current and historical
// (superseded), ordered by kind and then by linking time, with each status as in
// effect at the wallet's clock (an active credential past its validity shows expired).
func (w *Wallet) Credentials(ctx context.Context, h HolderRef) ([]Credential, error) {
	if w == nil {
		return nil, invalid("credentials", "wallet")
	}
	now := w.cfg.Now()
	holderKey, _, err := w.holderKey("credentials", h, now)
	if err != nil {
		return nil, err
	}
	_, st, err := w.load(ctx, "credentials", holderKey)
	if err != nil {
		return nil, err
	}
	out := slices.Clone(st.Credentials)
	for i := range out {
		out[i].Status, _ = out[i].ActiveAt(now)
	}
	slices.SortStableFunc(out, func(a, b Credential) int {
		if a.Kind != b.Kind {
			return int(a.Kind) - int(b.Kind)
		}
		return a.LinkedAt.Compare(b.LinkedAt)
	})
	return out, nil
}

// History returns the holder's history, oldest first.
func (w *Wallet) History(ctx context.Context, h HolderRef) ([]HistoryEntry, error) {
	if w == nil {
		return nil, invalid("history", "wallet")
	}
	holderKey, _, err := w.holderKey("history", h, w.cfg.Now())
	if err != nil {
		return nil, err
	}
	_, st, err := w.load(ctx, "history", holderKey)
	if err != nil {
		return nil, err
	}
	return st.History, nil
}

// findHolder returns the holder key of the wallet holding the credential handle.
func (w *Wallet) findHolder(ctx context.Context, op string, key string) (string, error) {
	holderKey, err := w.cfg.Store.Lookup(ctx, key)
	if errors.Is(err, ErrNotFound) {
		return "", newErr(op, ReasonNotFound, 0, "", err)
	}
	if err != nil {
		return "", fmt.Errorf("wallet: %s: store: %w", op, err)
	}
	return holderKey, nil
}

// SetStatus changes the status of the credential with the given handle, found through
// the store's index (an operator or the issuing authority need not know the holder):
// StatusSuspended, StatusReportedLost, StatusRevoked, or StatusActive to reinstate a
// suspended or lost credential. Expired, revoked and superseded credentials never change
// again ([ErrTransition]); an expired credential cannot be reinstated, nor a credential
// past its validity. actor (an operator ID or service name, not personal data) is
// recorded in the history. Setting the current status again changes nothing.
//
// A suspension or loss report set here stays until SetStatus lifts it: [Wallet.Link]
// and [Wallet.Refresh] do not reinstate it because the registry still reports the
// credential active (they do apply a revocation or an expiry the registry reports).
// The actor name ActorRegistry is the exception: a hold recorded under it is treated
// as the registry's own and follows the registry.
//
// SetStatus is an operator's and an issuing authority's operation: whoever holds a
// handle can name the credential. A host that lets holders report a loss themselves
// must first check that the handle is among their own [Wallet.Credentials].
func (w *Wallet) SetStatus(ctx context.Context, handle Handle, s Status, actor string) error {
	if w == nil {
		return invalid("set-status", "wallet")
	}
	const op = "set-status"
	if s != StatusActive && s != StatusSuspended && s != StatusReportedLost && s != StatusRevoked {
		return newErr(op, ReasonInvalidArgument, 0, "status", nil)
	}
	if actor == "" || !text(actor, maxSourceRunes) {
		return newErr(op, ReasonInvalidArgument, 0, "actor", nil)
	}
	holderKey, err := w.findHolder(ctx, op, credentialIndexKey(handle))
	if err != nil {
		return err
	}
	now := w.cfg.Now()
	return w.update(ctx, op, holderKey, false, func(st *state) (bool, error) {
		expired := w.expireDue(st, now)
		i := slices.IndexFunc(st.Credentials, func(c Credential) bool { return c.Handle == handle })
		if i < 0 {
			return expired, newErr(op, ReasonNotFound, 0, "", nil)
		}
		c := &st.Credentials[i]
		switch {
		case c.Status == s:
			return expired, nil
		case c.Status.Final():
			return expired, newErr(op, ReasonTransition, c.Kind, "", nil)
		}
		c.Status, c.UpdatedAt = s, now
		st.History = append(st.History, HistoryEntry{Time: now, Type: statusEventOf(0, s), Kind: c.Kind, Handle: c.Handle, Actor: actor})
		w.cfg.Logger.DebugContext(ctx, "wallet: status", "kind", c.Kind.String(), "status", s.String(), "actor", actor)
		return true, nil
	})
}

// Status returns the status in effect now of the credential with the given handle, for a
// service that learnt the handle (for example from Presentation.Handle). It fails with
// ErrNotFound for an unknown handle.
func (w *Wallet) Status(ctx context.Context, handle Handle) (Status, error) {
	if w == nil {
		return 0, invalid("status", "wallet")
	}
	const op = "status"
	holderKey, err := w.findHolder(ctx, op, credentialIndexKey(handle))
	if err != nil {
		return 0, err
	}
	_, st, err := w.load(ctx, op, holderKey)
	if err != nil {
		return 0, err
	}
	i := slices.IndexFunc(st.Credentials, func(c Credential) bool { return c.Handle == handle })
	if i < 0 {
		return 0, newErr(op, ReasonNotFound, 0, "", nil)
	}
	s, _ := st.Credentials[i].ActiveAt(w.cfg.Now())
	return s, nil
}
