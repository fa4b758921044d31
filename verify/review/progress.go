package review

import (
	"context"
	"strings"
	"time"

	"github.com/trustid/trustid/verify"
)

// Progress is what the applicant may see of a case: status, what is expected next, the
// deadline, the reasons of a rejection or supplement request, and the history. Its JSON
// encoding is the form a host sends to the applicant's device:
//
//	{"case": "rv-…", "state": "in_review", "attempt": 1,
//	 "status": {"zh": "…", "en": "…"}, "next": {"zh": "…", "en": "…"},
//	 "deadline": "2026-11-26T08:00:00Z",          // RFC 3339, omitted when none
//	 "valid_until": "…", "retry_at": "…",         // omitted when none
//	 "level": "real-person",                      // the approved level, omitted when none
//	 "reasons": [{"code": "material_unclear", "text": {"zh": "…", "en": "…"}}],
//	 "note": "…",                                 // the reviewer's note, omitted when none
//	 "history": [{"time": "…", "action": "submit", "state": "submitted", "by": "applicant",
//	              "reasons": ["…"], "level": "…"}]}
//
// It holds no reviewer identity (only the role that acted), no claimed identity, no
// applicant reference, no material reference, no subject binding or document check, and
// no token (neither the journey's nor the approval's decision). The reviewer's Note is
// free text written for the applicant and shown as written.
type Progress struct {
	Case    string `json:"case"`
	State   State  `json:"state"`
	Attempt int    `json:"attempt"`
	// Status describes the current state.
	Status Text `json:"status"`
	// Next says what happens next and who must act.
	Next Text `json:"next"`
	// Deadline is the applicant's deadline (supplement requested) or the reviewer's
	// (in review, resubmitted); zero when none.
	Deadline time.Time `json:"deadline,omitzero"`
	// ValidUntil is the end of an approved certification's validity.
	ValidUntil time.Time `json:"valid_until,omitzero"`
	// RetryAt is when a rejected applicant may re-apply (end of the cool-off).
	RetryAt time.Time `json:"retry_at,omitzero"`
	// Level is the assurance level an approval with a referee's decision confirmed
	// (Case.Approval); zero (omitted) otherwise.
	Level verify.Level `json:"level,omitzero"`
	// Reasons explain a rejection, a supplement request or an expiry.
	Reasons []ReasonMessage `json:"reasons,omitempty"`
	// Note is the reviewer's free-text note to the applicant, if any.
	Note string `json:"note,omitempty"`
	// History lists every step, oldest first.
	History []Step `json:"history"`
}

// ReasonMessage is a reason code with its message.
type ReasonMessage struct {
	Code verify.Reason `json:"code"`
	Text Text          `json:"text"`
}

// Step is one entry of the applicant's history.
type Step struct {
	Time   time.Time `json:"time"`
	Action string    `json:"action"`
	State  State     `json:"state"`
	// By is "applicant", "reviewer", "supervisor" or "system".
	By      string          `json:"by"`
	Reasons []verify.Reason `json:"reasons,omitempty"`
	// Level is the level the step decided (an approval with a referee's decision).
	Level verify.Level `json:"level,omitzero"`
}

var statusTexts = map[State][2]Text{
	StateDraft: {{"草稿，尚未提交。", "Draft, not yet submitted."},
		{"请补全材料并提交申请。", "Complete the material and submit the application."}},
	StateSubmitted: {{"申请已提交。", "The application was submitted."},
		{"系统将进行自动核验。", "Automatic checks will run."}},
	StateChecking: {{"正在自动核验或等待分配审核员。", "Automatic checks are running or the case waits for a reviewer."},
		{"无需操作，请等待。", "Nothing to do; please wait."}},
	StateInReview: {{"审核员正在审核。", "A reviewer is reviewing the application."},
		{"无需操作，审核员将在截止时间前作出决定。", "Nothing to do; the reviewer decides before the deadline."}},
	StateSupplementRequested: {{"需要补正材料。", "More material is needed."},
		{"请在截止时间前补正材料并重新提交。", "Supplement or correct the material and resubmit before the deadline."}},
	StateResubmitted: {{"补正材料已提交，审核员正在审核。", "The supplemented material was submitted and is being reviewed."},
		{"无需操作，审核员将在截止时间前作出决定。", "Nothing to do; the reviewer decides before the deadline."}},
	StateApproved: {{"认证已通过。", "The certification was approved."},
		{"有效期届满前将重新审核。", "It will be reviewed again when its validity ends."}},
	StateRejected: {{"认证未通过。", "The certification was not approved."},
		{"请根据原因更正后重新申请。", "Correct what the reasons say and apply again."}},
	StateWithdrawn: {{"申请已撤回。", "The application was withdrawn."},
		{"如需认证，请提交新的申请。", "Submit a new application if you need certification."}},
	StateExpired: {{"认证已失效，需要重新认证。", "The certification lapsed; re-certification is due."},
		{"请重新提交申请。", "Please apply again."}},
}

// Progress returns the applicant's view of their case; a case of another applicant is
// reported as [ErrNotFound].
func (d *Desk) Progress(ctx context.Context, applicant, id string) (*Progress, error) {
	c, err := d.get(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Application.Applicant != applicant {
		return nil, refusal(ReasonNotFound)
	}
	return d.progress(c), nil
}

func (d *Desk) progress(c *Case) *Progress {
	t := statusTexts[c.State]
	p := &Progress{Case: c.ID, State: c.State, Attempt: c.Attempt, Status: t[0], Next: t[1],
		ValidUntil: c.ValidUntil}
	switch c.State {
	case StateInReview, StateResubmitted, StateSupplementRequested:
		p.Deadline = c.Deadline
	case StateRejected:
		if d.cfg.RejectCooloff > 0 && !c.RejectedAt.IsZero() {
			p.RetryAt = c.RejectedAt.Add(d.cfg.RejectCooloff)
		}
	case StateApproved:
		if c.Approval != nil {
			p.Level = c.Approval.Level
		}
	case StateDraft, StateSubmitted, StateChecking, StateWithdrawn, StateExpired:
	}
	if c.State == StateRejected || c.State == StateSupplementRequested || c.State == StateExpired {
		for _, r := range c.Reasons {
			p.Reasons = append(p.Reasons, ReasonMessage{Code: r, Text: ReasonText(r)})
		}
		p.Note = c.Note
	}
	for _, r := range c.History {
		by, _, _ := strings.Cut(r.Actor, ":")
		p.History = append(p.History, Step{Time: r.Time, Action: r.Action, State: r.State, By: by,
			Reasons: r.Reasons, Level: r.Level})
	}
	return p
}
