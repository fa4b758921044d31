package quiz

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"hash"
	"log/slog"
	"maps"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/trustid/trustid/internal/seal"
	"github.com/trustid/trustid/store"
)

// Purpose is the seal purpose of quiz tokens: a token sealed for another purpose (a
// liveness session) under the same key is not a quiz token.
const Purpose = "quiz"

// Config configures an [Examiner]. Zero fields take the defaults given.
type Config struct {
	// Keys seal quiz tokens and sealed results: Keys[0] seals, all open (for rotation).
	// Required. Rotating them changes nothing in the attempt and asked stores, which are
	// keyed by IndexKey.
	Keys []store.Key
	// IndexKey is the HMAC-SHA-256 key (at least 32 bytes from crypto/rand) of the keys
	// under which subjects, devices and facts are stored in the attempt and asked stores,
	// so that a store never holds them in the clear. It is not a rotating key: changing it
	// forgets every attempt count, lock-out and asked fact. It must be the same on every
	// server that shares the stores.
	//
	// Required whenever AttemptStore or Asked is set (New returns [ErrInvalidArgument]
	// otherwise). When both are left to their in-memory defaults, which nothing else
	// shares, a random key is drawn per Examiner. It is never derived from Keys, so
	// rotating the seal keys keeps lock-outs and the memory of asked facts.
	IndexKey []byte
	// Distractors supplies wrong options. Required (see [NewMemoryDistractors]).
	Distractors DistractorSource
	// ReplayGuard makes tokens single use; its keys are digests of the tokens, not
	// index keys. Default store.NewMemoryReplayGuard().
	ReplayGuard store.ReplayGuard
	// AttemptStore counts attempts under Policy.Attempts and Policy.DeviceAttempts.
	// Default store.NewMemoryAttemptStore(); setting it requires IndexKey.
	AttemptStore store.AttemptStore
	// Asked remembers asked facts and shown values. Default NewMemoryAskedStore();
	// setting it requires IndexKey.
	Asked AskedStore
	// Policy holds the rules; zero fields take NIST-based defaults (see [Policy]).
	Policy Policy
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Logger receives one record per Begin and Finish, without personal data. Default
	// silent.
	Logger *slog.Logger
}

// Examiner builds and scores quizzes. It is safe for concurrent use. Make one with [New];
// its methods must not be called on a nil *Examiner.
type Examiner struct {
	sealer   *seal.Sealer
	results  *seal.Sealer
	index    []byte
	ds       DistractorSource
	replay   store.ReplayGuard
	attempts store.AttemptStore
	asked    AskedStore
	policy   Policy
	cats     []Category // enabled categories, sorted, for reproducible weighted draws
	now      func() time.Time
	log      *slog.Logger
}

// New validates cfg, fills in defaults and returns an examiner. A configuration it cannot
// use is an [*Error] matching [ErrInvalidArgument], naming the field.
func New(cfg Config) (*Examiner, error) {
	if len(cfg.Keys) == 0 {
		return nil, invalid("Config.Keys")
	}
	sealer, err := seal.New(Purpose, cfg.Keys...)
	if err != nil {
		return nil, &Error{Reason: ReasonInvalidArgument, Field: "Config.Keys", Err: err}
	}
	results, err := seal.New(ResultPurpose, cfg.Keys...)
	if err != nil {
		return nil, &Error{Reason: ReasonInvalidArgument, Field: "Config.Keys", Err: err}
	}
	if cfg.Distractors == nil {
		return nil, invalid("Config.Distractors")
	}
	if err := cfg.Policy.Validate(); err != nil {
		return nil, err
	}
	var index []byte
	switch {
	case cfg.IndexKey == nil && (cfg.AttemptStore != nil || cfg.Asked != nil):
		// A store the host supplies may outlive this examiner or be shared with other
		// servers: a random key would make its entries unreachable by the next one.
		return nil, invalid("Config.IndexKey")
	case cfg.IndexKey == nil:
		index = make([]byte, 32)
		rand.Read(index)
	case len(cfg.IndexKey) < 32:
		return nil, invalid("Config.IndexKey")
	default:
		index = slices.Clone(cfg.IndexKey)
	}
	e := &Examiner{
		sealer:   sealer,
		results:  results,
		index:    index,
		ds:       cfg.Distractors,
		replay:   cmp.Or[store.ReplayGuard](cfg.ReplayGuard, store.NewMemoryReplayGuard()),
		attempts: cmp.Or[store.AttemptStore](cfg.AttemptStore, store.NewMemoryAttemptStore()),
		asked:    cmp.Or[AskedStore](cfg.Asked, NewMemoryAskedStore()),
		policy:   cfg.Policy.withDefaults(),
		now:      cfg.Now,
		log:      cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)),
	}
	if e.now == nil {
		e.now = time.Now
	}
	for c := range e.policy.Categories {
		e.cats = append(e.cats, c)
	}
	slices.Sort(e.cats)
	return e, nil
}

// Policy returns the policy in force, with defaults filled in.
func (e *Examiner) Policy() Policy {
	p := e.policy
	p.Categories = maps.Clone(p.Categories)
	return p
}

// BeginRequest is what [Examiner.Begin] needs to build a quiz.
type BeginRequest struct {
	// Subject is the host's opaque binding of the person, 1 to 256 bytes; it comes back
	// from [Result.Subject]. It is sealed into the token and, keyed with Config.IndexKey,
	// names the attempt count, the memory of asked facts and the values already shown:
	// all three are per subject. Pass verify.DocumentResult.Subject, which names the
	// person whichever credential was checked (an ID card, a household register and a
	// driving licence of one person give one subject), so that they are per person. A
	// subject per credential would give a person one attempt count and one memory per
	// document: an attacker who begins and abandons a quiz with each would see the same
	// facts asked again with other distractors, and the answers would show by
	// intersection. Never pass a raw ID number.
	Subject string
	// Device is the host's opaque device binding, up to 256 bytes, or "" for none. When
	// given, the device's attempts are limited by Policy.DeviceAttempts.
	Device string
	// Facts are what the host knows about the person (at most 1000): the questions'
	// answers are drawn from them, and no distractor may equal any of them.
	Facts []Fact
	// CheckID is the document check this quiz belongs to
	// (verify.DocumentResult.CheckID), up to 255 bytes. The result names it, and verify
	// refuses a result begun for another check.
	CheckID string
}

// FinishRequest is what [Examiner.Finish] scores.
type FinishRequest struct {
	// Token is [Challenge].Token as Begin returned it.
	Token string
	// Answers are the applicant's choices, at most one per question; a question without
	// an answer counts as wrong.
	Answers []Answer
}

// Challenge is what Begin returns: the questions for the client and the token that carries
// the session to Finish.
//
// Its options' texts are personal data (the true value is among them), so every output
// form of a Challenge, a [Question] and an [Option] (String, GoString, Format, LogValue,
// MarshalJSON) masks them and the token. To send the quiz to the applicant's device, use
// [Challenge.ClientJSON]. These methods take a Challenge value: called through a nil
// *Challenge they panic, as value methods do (fmt prints such a pointer as <nil>).
type Challenge struct {
	// Token is the sealed session state (purpose "quiz"). It holds no answer in the
	// clear; the host may hand it to the client or keep it.
	Token string
	// Questions in the order to ask them.
	Questions []Question
	// Expires is when the quiz times out (Begin time plus Policy.TotalTimeout, to the
	// second).
	Expires time.Time
}

// Question is one multiple-choice question. Its output forms mask its options' texts
// (see [Option]).
type Question struct {
	// ID is opaque and random; it identifies the question within this quiz only.
	ID       string
	Category Category
	Prompt   string
	// Options in display order. The "none of the above" option, when enabled, is always
	// last and present whether or not it is the answer.
	Options []Option
}

// Option is one answer choice. Its Text may be personal data (the true value is usually
// among the options): String, GoString, Format, LogValue and MarshalJSON show its ID but
// never its text. [Challenge.ClientJSON] is the one form that carries the text.
type Option struct {
	// ID is opaque and random, unrelated to the option's position or content.
	ID   string
	Text string
	// NoneOfTheAbove marks the "none of the above" option.
	NoneOfTheAbove bool
}

// Answer is the option chosen for one question.
//
// ShownAt and AnsweredAt are optional times, as observed by the host's server (not the
// client device), at which the question was delivered and its answer received. When given
// (both or neither), Finish checks that ShownAt is not before Begin, AnsweredAt is not
// before ShownAt nor after Finish, and AnsweredAt−ShownAt is within
// Policy.QuestionTimeout, all with Policy.ClockSkew tolerance. The library cannot know
// whether these times are true; it knows only its own Begin and Finish times.
type Answer struct {
	QuestionID string
	OptionID   string
	ShownAt    time.Time
	AnsweredAt time.Time
}

// Result is the outcome of a finished quiz: pass or fail and nothing more. It never says
// which answers were wrong. It implements the memory-evidence interface of package verify.
//
// A nil *Result means the quiz was not performed: its methods return "", false and the
// zero time, exactly as for a quiz never taken.
type Result struct {
	subject  string
	checkID  string
	passed   bool
	finished time.Time
}

// CheckID returns the document check the quiz was begun for (BeginRequest.CheckID), or
// "" for a nil Result.
func (r *Result) CheckID() string {
	if r == nil {
		return ""
	}
	return r.checkID
}

// CompletedAt returns the time Finish scored the quiz (the same as FinishedAt), as
// verify's evidence interface names it.
func (r *Result) CompletedAt() time.Time { return r.FinishedAt() }

// Subject returns the opaque subject binding given to Begin, or "" for a nil Result.
func (r *Result) Subject() string {
	if r == nil {
		return ""
	}
	return r.subject
}

// QuizPassed reports whether the quiz was passed; false for a nil Result.
func (r *Result) QuizPassed() bool { return r != nil && r.passed }

// FinishedAt returns the time Finish scored the quiz, or the zero time for a nil Result.
func (r *Result) FinishedAt() time.Time {
	if r == nil {
		return time.Time{}
	}
	return r.finished
}

const (
	maxFacts         = 1000
	maxDevice        = 256
	oversample       = 3 // distractors asked for per distractor needed
	triesPerCategory = 3
)

type candidate struct {
	fact Fact
	id   string // keyed hash of category and normalised value
}

type built struct {
	category    Category
	answer      candidate
	distractors []candidate // Value and keyed hash of each distractor
	shown       int         // how many distractors are shown
}

// Begin starts a quiz for req.Subject on req.Device from the person's req.Facts. An empty
// or oversized subject, an oversized device or fact list, or a fact value that is not
// valid UTF-8 or longer than 512 bytes is [ErrInvalidArgument].
//
// It picks Policy.Questions facts from distinct enabled categories (weighted by
// PickWeight), leaving out static, public, future, too old and recently asked facts; asks
// the distractor source for wrong values and drops any that equal (after [Normalize]) a
// true fact of the person, do not have exactly the answer's shape ([SameShape]) or were
// shown to the subject within Policy.RememberFor; and shuffles the options (crypto/rand).
// All shown values of a question therefore have one shape, so no measure of their
// length or layout ranks the answer anywhere but uniformly among them.
// Too few usable facts is [ErrTooFewFacts]; too few acceptable distractors is
// [ErrTooFewDistractors]: the library never builds a weaker quiz.
//
// Only once a quiz is built does Begin count an attempt for the device and then the
// subject, returning an error that matches store.ErrLockedOut (errors.As to
// *store.LockedOutError gives RetryAt) when either is locked out; so a Begin
// refused for too few facts or distractors costs no attempt, and a subject whose facts are
// used up is told so even while locked out. A device that is locked out is refused before
// the subject's count is touched. Begin then claims the facts asked and the values shown
// in the [AskedStore], so that the next quiz asks and shows others; if a concurrent Begin
// for the subject claimed one of them first, it returns [ErrConcurrentQuiz] (the attempt
// stays counted). Store and source failures are [ErrUnavailable], wrapping the host's
// error, and refuse the quiz.
func (e *Examiner) Begin(ctx context.Context, req BeginRequest) (*Challenge, error) {
	subject, device, facts := req.Subject, req.Device, req.Facts
	switch {
	case subject == "" || len(subject) > maxSubject:
		return nil, invalid("BeginRequest.Subject")
	case len(device) > maxDevice:
		return nil, invalid("BeginRequest.Device")
	case len(facts) > maxFacts:
		return nil, invalid("BeginRequest.Facts")
	case len(req.CheckID) > maxCheckID:
		return nil, invalid("BeginRequest.CheckID")
	}
	for _, f := range facts {
		if len(f.Value) > maxValueBytes || !utf8.ValidString(f.Value) || len(f.Category) > 64 {
			return nil, invalid("BeginRequest.Facts")
		}
	}
	p := &e.policy
	now := e.now()
	ix := e.newIndexer()
	subjectKey := ix.id("subject", subject)
	recent, err := e.asked.Asked(ctx, subjectKey, now)
	if err != nil {
		return nil, unavailable("Config.Asked", err)
	}

	truth := make(map[string]bool, len(facts))
	byCat := make(map[Category][]candidate)
	recentSet := make(map[string]bool, len(recent))
	for _, id := range recent {
		recentSet[id] = true
	}
	seen := maps.Clone(recentSet)
	for _, f := range facts {
		n := Normalize(f.Value)
		if n == "" {
			continue
		}
		truth[n] = true
		if _, ok := p.Categories[f.Category]; !ok || f.Static || f.Public {
			continue
		}
		if !f.ValidFrom.IsZero() && f.ValidFrom.After(now) {
			continue
		}
		if !f.ValidUntil.IsZero() && now.Sub(f.ValidUntil) > p.MaxFactAge {
			continue
		}
		id := ix.id("fact", string(f.Category)+"\x00"+n)
		if seen[id] {
			continue // asked recently, or a duplicate
		}
		seen[id] = true
		byCat[f.Category] = append(byCat[f.Category], candidate{fact: f, id: id})
	}
	if len(byCat) < p.Questions {
		return nil, &Error{Reason: ReasonTooFewFacts}
	}

	r := newRNG()
	order := e.categoryOrder(r, byCat)
	need := p.Options - 1
	if !p.DisableNoneOfTheAbove {
		need = p.Options // a question whose answer is hidden shows Options distractors
	}
	qs := make([]built, 0, p.Questions)
	for _, c := range order {
		if len(qs) == p.Questions {
			break
		}
		b, ok, err := e.buildQuestion(ctx, r, ix, c, byCat[c], truth, recentSet, need)
		if err != nil {
			return nil, err
		}
		if ok {
			qs = append(qs, b)
		}
	}
	if len(qs) < p.Questions {
		return nil, &Error{Reason: ReasonTooFewDistractors}
	}

	// Which questions have "none of the above" as answer: a uniform count in
	// 0..NoneOfTheAboveMax, at uniformly chosen positions.
	hidden := make([]bool, len(qs))
	if !p.DisableNoneOfTheAbove {
		for i := range r.intn(p.NoneOfTheAboveMax + 1) {
			hidden[i] = true
		}
		r.shuffle(len(hidden), func(i, j int) { hidden[i], hidden[j] = hidden[j], hidden[i] })
	}

	st := &state{begin: now.UnixNano(), subject: subject, checkID: req.CheckID}
	ch, err := e.assemble(r, st, qs, hidden)
	if err != nil {
		return nil, err
	}

	if device != "" {
		if err := e.take(ctx, "BeginRequest.Device", "quiz/device/"+ix.id("device", device), now, p.DeviceAttempts); err != nil {
			return nil, err
		}
	}
	if err := e.take(ctx, "BeginRequest.Subject", "quiz/subject/"+subjectKey, now, p.Attempts); err != nil {
		return nil, err
	}
	// Remember the facts asked and the distractors shown: a later quiz that showed a
	// value again would tell its taker that the value is not that quiz's answer (true
	// facts are never distractors and asked facts are not asked again).
	ids := make([]string, 0, len(qs)*(p.Options+1))
	for _, b := range qs {
		ids = append(ids, b.answer.id)
		for _, x := range b.distractors[:b.shown] {
			ids = append(ids, x.id)
		}
	}
	fresh, err := e.asked.Claim(ctx, subjectKey, ids, now, now.Add(p.RememberFor))
	if err != nil {
		return nil, unavailable("Config.Asked", err)
	}
	if !fresh {
		return nil, &Error{Reason: ReasonConcurrentQuiz}
	}

	expires := time.Unix(now.Add(p.TotalTimeout).Unix(), 0)
	ch.Token, err = e.sealer.Seal(st.encode(), expires, rand.Reader)
	if err != nil {
		return nil, err // not reached: crypto/rand does not fail and the state is small
	}
	ch.Expires = expires
	e.log.LogAttrs(ctx, slog.LevelInfo, "quiz begin", slog.Int("questions", len(qs)))
	return ch, nil
}

// assemble shuffles the options of each question, gives questions and options their IDs
// from a new session key, and records in st each question's option count, weight and
// answer MAC.
func (e *Examiner) assemble(r *rng, st *state, qs []built, hidden []bool) (*Challenge, error) {
	p := &e.policy
	st.questions = make([]stateQuestion, len(qs))
	r.read(st.key[:])
	d := newDeriver(st.key[:])
	ch := &Challenge{Questions: make([]Question, len(qs))}
	for i := range qs {
		b := &qs[i]
		b.shown = p.Options - 1
		if hidden[i] {
			b.shown = p.Options
		}
		values := make([]string, 0, p.Options)
		for _, x := range b.distractors[:b.shown] {
			values = append(values, x.fact.Value)
		}
		if !hidden[i] {
			values = append(values, b.answer.fact.Value)
		}
		correct := -1
		r.shuffle(len(values), func(i, j int) { values[i], values[j] = values[j], values[i] })
		q := Question{
			ID:       d.questionID(i),
			Category: b.category,
			Prompt:   p.Categories[b.category].Prompt,
			Options:  make([]Option, 0, p.Options+1),
		}
		for j, v := range values {
			if !hidden[i] && v == b.answer.fact.Value {
				correct = j
			}
			q.Options = append(q.Options, Option{ID: d.optionID(i, j), Text: display(v)})
		}
		if !p.DisableNoneOfTheAbove {
			j := len(q.Options)
			if hidden[i] {
				correct = j
			}
			q.Options = append(q.Options, Option{ID: d.optionID(i, j), Text: p.NoneOfTheAboveText, NoneOfTheAbove: true})
		}
		if correct < 0 {
			return nil, errors.New("quiz: internal error: answer not among the options")
		}
		ch.Questions[i] = q
		st.questions[i] = stateQuestion{options: len(q.Options), weight: p.Categories[b.category].ScoreWeight}
		copy(st.questions[i].answer[:], d.answerMAC(i, q.Options[correct].ID))
	}

	return ch, nil
}

// categoryOrder draws every usable category without replacement, each draw weighted by
// PickWeight: the first Questions that yield a question make the quiz, the rest are
// fallbacks.
func (e *Examiner) categoryOrder(r *rng, byCat map[Category][]candidate) []Category {
	var cats []Category
	for _, c := range e.cats {
		if len(byCat[c]) > 0 {
			cats = append(cats, c)
		}
	}
	order := make([]Category, 0, len(cats))
	for len(cats) > 0 {
		total := 0
		for _, c := range cats {
			total += e.policy.Categories[c].PickWeight
		}
		x := r.intn(total)
		for i, c := range cats {
			x -= e.policy.Categories[c].PickWeight
			if x < 0 {
				order = append(order, c)
				cats = slices.Delete(cats, i, i+1)
				break
			}
		}
	}
	return order
}

// buildQuestion picks a fact of category c and enough acceptable distractors for it,
// trying up to triesPerCategory facts. ok is false when none works.
func (e *Examiner) buildQuestion(ctx context.Context, r *rng, ix *indexer, c Category, cands []candidate, truth, recent map[string]bool, need int) (b built, ok bool, err error) {
	cands = slices.Clone(cands)
	r.shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
	for _, cand := range cands[:min(len(cands), triesPerCategory)] {
		got, err := e.ds.Distractors(ctx, c, cand.fact.Value, oversample*need)
		if err != nil {
			return built{}, false, unavailable("Config.Distractors", err)
		}
		ds := acceptDistractors(ix, c, cand.fact.Value, got, truth, recent)
		if len(ds) < need {
			continue
		}
		r.shuffle(len(ds), func(i, j int) { ds[i], ds[j] = ds[j], ds[i] })
		return built{category: c, answer: cand, distractors: ds[:need]}, true, nil
	}
	return built{}, false, nil
}

// acceptDistractors keeps the values that are usable text, have the answer's shape, equal
// neither a true fact of the person nor an earlier kept value after normalisation, and
// were not shown to the subject recently.
func acceptDistractors(ix *indexer, c Category, answer string, got []string, truth, recent map[string]bool) []candidate {
	kept := make([]candidate, 0, len(got))
	norms := make(map[string]bool, len(got))
	sa := shapeOf(answer)
	for _, v := range got {
		if !usableText(v) || sa != shapeOf(v) {
			continue
		}
		n := Normalize(v)
		if truth[n] || norms[n] {
			continue
		}
		norms[n] = true
		id := ix.id("fact", string(c)+"\x00"+n)
		if recent[id] {
			continue
		}
		kept = append(kept, candidate{fact: Fact{Category: c, Value: v}, id: id})
	}
	return kept
}

// take counts an attempt under key; field names whose attempts they are.
func (e *Examiner) take(ctx context.Context, field, key string, now time.Time, rule store.AttemptRule) error {
	res, err := e.attempts.Take(ctx, key, now, rule)
	if err != nil {
		return unavailable("Config.AttemptStore", err)
	}
	if refused := res.Refusal(); refused != nil {
		return &Error{Reason: ReasonLockedOut, Field: field, Err: refused}
	}
	return nil
}

// indexID is the keyed hash under which a subject, device or fact is stored.
func (e *Examiner) indexID(label, s string) string { return e.newIndexer().id(label, s) }

// indexer computes index IDs with one reusable HMAC; it is not safe for concurrent use.
type indexer struct {
	mac hash.Hash
	buf []byte
	sum [sha256.Size]byte
}

func (e *Examiner) newIndexer() *indexer {
	return &indexer{mac: hmac.New(sha256.New, e.index), buf: make([]byte, 0, 128)}
}

func (x *indexer) id(label, s string) string {
	x.mac.Reset()
	x.buf = append(x.buf[:0], "trustid/quiz/index/v1\x00"...)
	x.buf = append(x.buf, label...)
	x.buf = append(x.buf, 0)
	x.buf = append(x.buf, s...)
	x.mac.Write(x.buf)
	return base64.RawURLEncoding.EncodeToString(x.mac.Sum(x.sum[:0])[:16])
}

// Finish scores req.Answers to the quiz in req.Token.
//
// It checks, in this order: the token's integrity ([ErrNotAuthentic]) and expiry
// ([ErrExpired]); single use through the replay guard (an error matching
// store.ErrReplayed; of concurrent Finishes of one token exactly one goes on); that every
// answer is to a question of this quiz, with an option of that question, at most one per
// question, with consistent times ([ErrBadAnswers]); and the per-question time limit on
// host-reported times ([ErrExpired]). Every check after the replay guard uses the token
// up. A failing replay guard is [ErrUnavailable].
//
// A missing answer counts as wrong. Answers are compared with their keyed hashes in
// constant time and all of them are scored before the outcome is decided; the Result says
// pass or fail only. A pass resets the subject's attempt count; a device's count is never
// reset by a pass, so one identity that passes cannot launder a device's failures.
func (e *Examiner) Finish(ctx context.Context, req FinishRequest) (*Result, error) {
	token, answers := req.Token, req.Answers
	if len(token) > maxTokenLen {
		return nil, &Error{Reason: ReasonNotAuthentic}
	}
	p := &e.policy
	now := e.now()
	payload, exp, _, err := e.sealer.Open(token, now)
	switch {
	case errors.Is(err, seal.ErrExpired):
		return nil, &Error{Reason: ReasonExpired}
	case err != nil:
		return nil, &Error{Reason: ReasonNotAuthentic}
	}
	st, err := decodeState(payload)
	if err != nil {
		return nil, &Error{Reason: ReasonNotAuthentic}
	}
	first, err := e.replay.Claim(ctx, seal.Digest(Purpose, token), now, exp)
	if err != nil {
		return nil, unavailable("Config.ReplayGuard", err)
	}
	if !first {
		return nil, &Error{Reason: ReasonReplayed, Err: store.ErrReplayed}
	}

	badAnswers := &Error{Reason: ReasonBadAnswers}
	n := len(st.questions)
	if len(answers) > n {
		return nil, badAnswers
	}
	d := newDeriver(st.key[:])
	qids := make([]string, n)
	for i := range qids {
		qids[i] = d.questionID(i)
	}
	chosen := make([]string, n)
	timedOut := false
	begin := time.Unix(0, st.begin)
	for _, a := range answers {
		i := slices.Index(qids, a.QuestionID)
		if i < 0 || chosen[i] != "" {
			return nil, badAnswers
		}
		member := false
		for j := range st.questions[i].options {
			if d.optionID(i, j) == a.OptionID {
				member = true
			}
		}
		if !member {
			return nil, badAnswers
		}
		chosen[i] = a.OptionID
		switch {
		case a.ShownAt.IsZero() && a.AnsweredAt.IsZero():
			if p.RequireAnswerTimes {
				return nil, badAnswers
			}
		case a.ShownAt.IsZero() || a.AnsweredAt.IsZero(),
			a.ShownAt.Before(begin.Add(-p.ClockSkew)),
			a.AnsweredAt.Before(a.ShownAt),
			a.AnsweredAt.After(now.Add(p.ClockSkew)):
			return nil, badAnswers
		case a.AnsweredAt.Sub(a.ShownAt) > p.QuestionTimeout:
			timedOut = true
		}
	}
	if timedOut {
		return nil, &Error{Reason: ReasonExpired, Field: "Answer.AnsweredAt"}
	}

	// Score every question, right or wrong, without branching on the outcome.
	missed := 0
	for i, q := range st.questions {
		got := d.answerMAC(i, chosen[i])
		right := subtle.ConstantTimeCompare(got, q.answer[:])
		answered := subtle.ConstantTimeEq(int32(len(chosen[i])), 0) ^ 1
		missed += (1 - (right & answered)) * q.weight
	}
	passed := subtle.ConstantTimeLessOrEq(missed, p.MaxMissedWeight) == 1
	res := &Result{subject: st.subject, checkID: st.checkID, passed: passed, finished: now}
	if passed {
		if err := e.attempts.Reset(ctx, "quiz/subject/"+e.indexID("subject", st.subject)); err != nil {
			// The pass stands; the count will run out at the end of its window.
			e.log.LogAttrs(ctx, slog.LevelWarn, "quiz: resetting attempts failed", slog.String("error", err.Error()))
		}
	}
	e.log.LogAttrs(ctx, slog.LevelInfo, "quiz finish", slog.Bool("passed", passed))
	return res, nil
}
