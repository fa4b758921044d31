package quiz

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/trustid/trustid/internal/mask"
)

// The output forms of the package's types. Fact values and option texts are personal data
// (an option is usually the person's true address or plate), and so is the subject a
// Result carries; a token is a bearer credential. Every form below (String, GoString,
// Format for every verb and flag, LogValue, MarshalJSON) replaces them with their length
// class (mask.Text) or a masked prefix, so that no log line, %v or JSON handler shows
// them. The one form with the texts in the clear is Challenge.ClientJSON, for the
// applicant's device.

// String describes the fact without its value.
func (f Fact) String() string {
	var b strings.Builder
	b.WriteString("quiz.Fact{")
	b.WriteString(string(f.Category))
	b.WriteByte(' ')
	b.WriteString(mask.Text(f.Value))
	if f.Static {
		b.WriteString(" static")
	}
	if f.Public {
		b.WriteString(" public")
	}
	b.WriteByte('}')
	return b.String()
}

// GoString describes the fact without its value.
func (f Fact) GoString() string {
	return fmt.Sprintf("quiz.Fact{Category:%q, Value:%q, Source:%q, Static:%t, Public:%t}",
		f.Category, mask.Text(f.Value), f.Source, f.Static, f.Public)
}

// Format writes the fact's masked form for every verb: %#v is GoString, %q the quoted
// String, any other verb String.
func (f Fact) Format(s fmt.State, verb rune) { mask.Format(s, verb, f.String(), f.GoString()) }

// LogValue describes the fact without its value.
func (f Fact) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("category", string(f.Category)),
		slog.String("value", mask.Text(f.Value)),
		slog.String("source", f.Source),
		slog.Bool("static", f.Static),
		slog.Bool("public", f.Public),
	)
}

type maskedFact struct {
	Category Category `json:"category"`
	Value    string   `json:"value"`
	Source   string   `json:"source,omitempty"`
	Static   bool     `json:"static,omitempty"`
	Public   bool     `json:"public,omitempty"`
}

// MarshalJSON encodes the fact with its value masked: {"category":..., "value":"[N
// chars]", "source":..., "static":..., "public":...}. It is for logs; it cannot be decoded
// back into the fact.
func (f Fact) MarshalJSON() ([]byte, error) {
	return json.Marshal(maskedFact{f.Category, mask.Text(f.Value), f.Source, f.Static, f.Public})
}

// String shows the option's ID but not its text.
func (o Option) String() string {
	s := "quiz.Option{" + o.ID + " " + mask.Text(o.Text)
	if o.NoneOfTheAbove {
		s += " none-of-the-above"
	}
	return s + "}"
}

// GoString shows the option's ID but not its text.
func (o Option) GoString() string {
	return fmt.Sprintf("quiz.Option{ID:%q, Text:%q, NoneOfTheAbove:%t}", o.ID, mask.Text(o.Text), o.NoneOfTheAbove)
}

// Format writes the option's masked form for every verb (see [Fact.Format]).
func (o Option) Format(s fmt.State, verb rune) { mask.Format(s, verb, o.String(), o.GoString()) }

// LogValue shows the option's ID but not its text.
func (o Option) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", o.ID), slog.String("text", mask.Text(o.Text)),
		slog.Bool("none_of_the_above", o.NoneOfTheAbove))
}

type maskedOption struct {
	ID             string `json:"id"`
	Text           string `json:"text"`
	NoneOfTheAbove bool   `json:"none_of_the_above,omitempty"`
}

// MarshalJSON encodes the option with its text masked. It is for logs: the applicant's
// device gets the text through [Challenge.ClientJSON].
func (o Option) MarshalJSON() ([]byte, error) {
	return json.Marshal(maskedOption{o.ID, mask.Text(o.Text), o.NoneOfTheAbove})
}

// String shows the question's ID, category and options, with the option texts masked.
func (q Question) String() string {
	var b strings.Builder
	b.WriteString("quiz.Question{" + q.ID + " " + string(q.Category) + " [")
	for i, o := range q.Options {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(o.String())
	}
	b.WriteString("]}")
	return b.String()
}

// GoString shows the question with the option texts masked.
func (q Question) GoString() string {
	var b strings.Builder
	fmt.Fprintf(&b, "quiz.Question{ID:%q, Category:%q, Prompt:%q, Options:[]quiz.Option{", q.ID, q.Category, q.Prompt)
	for i, o := range q.Options {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(o.GoString())
	}
	b.WriteString("}}")
	return b.String()
}

// Format writes the question's masked form for every verb (see [Fact.Format]).
func (q Question) Format(s fmt.State, verb rune) { mask.Format(s, verb, q.String(), q.GoString()) }

// LogValue shows the question's ID, category and option count.
func (q Question) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", q.ID), slog.String("category", string(q.Category)),
		slog.Int("options", len(q.Options)))
}

type maskedQuestion struct {
	ID       string   `json:"id"`
	Category Category `json:"category"`
	Prompt   string   `json:"prompt"`
	Options  []Option `json:"options"` // each masked by Option.MarshalJSON
}

// MarshalJSON encodes the question with its option texts masked. It is for logs: the
// applicant's device gets the texts through [Challenge.ClientJSON].
func (q Question) MarshalJSON() ([]byte, error) {
	return json.Marshal(maskedQuestion{q.ID, q.Category, q.Prompt, q.Options})
}

// String shows the number of questions and the expiry; the token and option texts are
// masked.
func (c Challenge) String() string {
	return "quiz.Challenge{" + mask.Text(c.Token) + " " + strconv.Itoa(len(c.Questions)) +
		" questions until " + c.Expires.UTC().Format(time.RFC3339) + "}"
}

// GoString shows the challenge with the token and option texts masked.
func (c Challenge) GoString() string {
	var b strings.Builder
	fmt.Fprintf(&b, "quiz.Challenge{Token:%q, Questions:[]quiz.Question{", mask.Text(c.Token))
	for i, q := range c.Questions {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(q.GoString())
	}
	fmt.Fprintf(&b, "}, Expires:%q}", c.Expires.UTC().Format(time.RFC3339))
	return b.String()
}

// Format writes the challenge's masked form for every verb (see [Fact.Format]).
func (c Challenge) Format(s fmt.State, verb rune) { mask.Format(s, verb, c.String(), c.GoString()) }

// LogValue shows the number of questions and the expiry, not the token.
func (c Challenge) LogValue() slog.Value {
	return slog.GroupValue(slog.Int("questions", len(c.Questions)), slog.Time("expires", c.Expires))
}

type maskedChallenge struct {
	Token     string     `json:"token"`
	Questions []Question `json:"questions"` // each masked by Question.MarshalJSON
	Expires   time.Time  `json:"expires"`
}

// MarshalJSON encodes the challenge with the token and the option texts masked, so that a
// challenge handed to a JSON log handler shows its shape only. To send the quiz to the
// applicant's device, use [Challenge.ClientJSON]: encoding a Challenge with encoding/json
// does not give the applicant the options.
func (c Challenge) MarshalJSON() ([]byte, error) {
	return json.Marshal(maskedChallenge{mask.Text(c.Token), c.Questions, c.Expires})
}

// clientChallenge and its parts are the client JSON form: plain fields, built only by
// ClientJSON and never kept.
type clientChallenge struct {
	Token     string           `json:"token"`
	Expires   time.Time        `json:"expires"`
	Questions []clientQuestion `json:"questions"`
}

type clientQuestion struct {
	ID       string         `json:"id"`
	Category Category       `json:"category"`
	Prompt   string         `json:"prompt"`
	Options  []clientOption `json:"options"`
}

type clientOption struct {
	ID             string `json:"id"`
	Text           string `json:"text"`
	NoneOfTheAbove bool   `json:"none_of_the_above,omitempty"`
}

// ClientJSON returns the challenge as JSON for the applicant's device only: the one
// output form that carries the option texts in the clear, since showing them is the point
// of the quiz. Never log it or store it. The form is
//
//	{"token":"<Token>","expires":"<RFC 3339>","questions":[
//	  {"id":"<Question.ID>","category":"<Category>","prompt":"<Prompt>","options":[
//	    {"id":"<Option.ID>","text":"<Text>"}, ...,
//	    {"id":"<Option.ID>","text":"None of the above","none_of_the_above":true}]}, ...]}
//
// with questions and options in display order. It holds nothing Begin did not already put
// in the Challenge: no answer key (the token is sealed and holds only keyed hashes of the
// correct option IDs) and nothing about which option is right. The device answers with
// question and option IDs, which the host passes to Finish as [Answer] values. A host that
// keeps the token on its server may drop the "token" member.
func (c Challenge) ClientJSON() ([]byte, error) {
	out := clientChallenge{Token: c.Token, Expires: c.Expires, Questions: make([]clientQuestion, len(c.Questions))}
	for i, q := range c.Questions {
		cq := clientQuestion{ID: q.ID, Category: q.Category, Prompt: q.Prompt, Options: make([]clientOption, len(q.Options))}
		for j, o := range q.Options {
			cq.Options[j] = clientOption(o)
		}
		out.Questions[i] = cq
	}
	return json.Marshal(out)
}

// String shows the outcome with the subject masked; "quiz.Result(nil)" for a nil Result.
func (r *Result) String() string {
	if r == nil {
		return "quiz.Result(nil)"
	}
	outcome := "fail"
	if r.passed {
		outcome = "pass"
	}
	return "quiz.Result{" + mask.Middle(r.subject, 4, 0) + " " + outcome + "}"
}

// GoString shows the result with the subject masked.
func (r *Result) GoString() string {
	if r == nil {
		return "(*quiz.Result)(nil)"
	}
	return fmt.Sprintf("&quiz.Result{Subject:%q, Passed:%t, FinishedAt:%q}",
		mask.Middle(r.subject, 4, 0), r.passed, r.finished.UTC().Format(time.RFC3339Nano))
}

// Format writes the result's masked form for every verb (see [Fact.Format]).
func (r *Result) Format(s fmt.State, verb rune) { mask.Format(s, verb, r.String(), r.GoString()) }

// LogValue shows the outcome with the subject masked; a nil Result logs as
// performed=false.
func (r *Result) LogValue() slog.Value {
	if r == nil {
		return slog.GroupValue(slog.Bool("performed", false))
	}
	return slog.GroupValue(slog.String("subject", mask.Middle(r.subject, 4, 0)), slog.Bool("passed", r.passed),
		slog.Time("finished", r.finished))
}

type maskedResult struct {
	Subject    string    `json:"subject"`
	Passed     bool      `json:"passed"`
	FinishedAt time.Time `json:"finished_at"`
}

// MarshalJSON encodes the outcome with the subject masked: {"subject":"1101****",
// "passed":true, "finished_at":...}. A nil Result encodes as null.
func (r *Result) MarshalJSON() ([]byte, error) {
	if r == nil {
		return []byte("null"), nil
	}
	return json.Marshal(maskedResult{mask.Middle(r.subject, 4, 0), r.passed, r.finished})
}

// String masks the subject and device and shows how many facts the request holds, not
// their values.
func (r BeginRequest) String() string {
	return fmt.Sprintf("quiz.BeginRequest{subject=%s device=%s facts=%d}",
		mask.Middle(r.Subject, 2, 2), mask.Middle(r.Device, 2, 2), len(r.Facts))
}

// GoString returns the masked form.
func (r BeginRequest) GoString() string { return r.String() }

// Format writes the masked form for every verb.
func (r BeginRequest) Format(f fmt.State, verb rune) { mask.Format(f, verb, r.String(), r.GoString()) }

// LogValue logs the masked form.
func (r BeginRequest) LogValue() slog.Value { return slog.StringValue(r.String()) }

// MarshalJSON writes the masked form as a JSON string.
func (r BeginRequest) MarshalJSON() ([]byte, error) { return json.Marshal(r.String()) }

// String hides the token and shows how many answers the request holds.
func (r FinishRequest) String() string {
	return fmt.Sprintf("quiz.FinishRequest{token=[redacted] answers=%d}", len(r.Answers))
}

// GoString returns the masked form.
func (r FinishRequest) GoString() string { return r.String() }

// Format writes the masked form for every verb.
func (r FinishRequest) Format(f fmt.State, verb rune) { mask.Format(f, verb, r.String(), r.GoString()) }

// LogValue logs the masked form.
func (r FinishRequest) LogValue() slog.Value { return slog.StringValue(r.String()) }

// MarshalJSON writes the masked form as a JSON string.
func (r FinishRequest) MarshalJSON() ([]byte, error) { return json.Marshal(r.String()) }
