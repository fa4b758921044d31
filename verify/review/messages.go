package review

import (
	"strings"
	"time"

	"github.com/trustid/trustid/verify"
)

// Reason codes the review workflow itself uses, in addition to the verify codes a
// reviewer or the automatic check may give. Reviewers may use any code of the form
// [a-z][a-z0-9_]{0,63}; unknown codes get a generic message.
const (
	ReasonMaterialMissing      verify.Reason = "material_missing"       // required material was not provided
	ReasonMaterialUnclear      verify.Reason = "material_unclear"       // material is illegible or incomplete
	ReasonMaterialInconsistent verify.Reason = "material_inconsistent"  // materials contradict each other or the claim
	ReasonMaterialInvalid      verify.Reason = "material_invalid"       // material is not genuine or not acceptable
	ReasonAuthorisationMissing verify.Reason = "authorisation_missing"  // organisation: no letter of authorisation
	ReasonSupplementOverdue    verify.Reason = "supplement_overdue"     // material not supplemented before the deadline
	ReasonAutomaticCheckFailed verify.Reason = "automatic_check_failed" // automatic checks failed without a specific code
	ReasonValidityEnded        verify.Reason = "validity_ended"         // periodic re-review is due
	ReasonIdentityChanged      verify.Reason = "identity_changed"       // identity data changed: re-certification
	ReasonWithdrawn            verify.Reason = "withdrawn"              // the applicant withdrew
)

var reviewReasonTexts = map[verify.Reason]Text{
	ReasonMaterialMissing:      {"缺少必需的材料。", "Required material is missing."},
	ReasonMaterialUnclear:      {"材料不清晰或不完整。", "The material is illegible or incomplete."},
	ReasonMaterialInconsistent: {"材料之间或与申请信息不一致。", "The materials are inconsistent with each other or with the application."},
	ReasonMaterialInvalid:      {"材料无效或不符合要求。", "The material is not valid or not acceptable."},
	ReasonAuthorisationMissing: {"缺少机构授权书。", "The organisation's letter of authorisation is missing."},
	ReasonSupplementOverdue:    {"未在规定期限内补正材料。", "The material was not supplemented before the deadline."},
	ReasonAutomaticCheckFailed: {"自动核验未通过。", "The automatic checks did not pass."},
	ReasonValidityEnded:        {"认证有效期已到，需要重新审核。", "The certification's validity has ended; it must be reviewed again."},
	ReasonIdentityChanged:      {"身份信息已变更，需要重新认证。", "Your identity data changed; re-certification is required."},
	ReasonWithdrawn:            {"申请已撤回。", "The application was withdrawn."},
}

// ReasonText returns the message for a reason code in Chinese and English: the review
// codes above, the verify codes (verify.Reason.Message), or a generic message naming the
// code. Messages hold no personal data.
func ReasonText(r verify.Reason) Text {
	if t, ok := reviewReasonTexts[r]; ok {
		return t
	}
	return Text{ZH: r.Message("zh"), EN: r.Message("en")}
}

func fmtTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

func reasonsText(rs []verify.Reason) Text {
	var zh, en strings.Builder
	for _, r := range rs {
		t := ReasonText(r)
		zh.WriteString(t.ZH)
		if en.Len() > 0 {
			en.WriteByte(' ')
		}
		en.WriteString(t.EN)
	}
	return Text{ZH: zh.String(), EN: en.String()}
}

// noticeText builds the title and body of a notice. Only the case ID, reason messages
// and dates go in: never names, numbers or the reviewer's free text.
func noticeText(k NoticeKind, caseID string, rs []verify.Reason, deadline time.Time) (title, body Text) {
	switch k {
	case NoticeSubmitted:
		title = Text{"认证申请已受理", "Application received"}
		body = Text{"您的认证申请（编号 " + caseID + "）已受理，我们将尽快审核。",
			"Your certification application (" + caseID + ") was received and will be reviewed."}
	case NoticeSupplementRequested:
		r := reasonsText(rs)
		title = Text{"请补正认证材料", "Please supplement your material"}
		body = Text{"您的认证申请（编号 " + caseID + "）需要补正材料：" + r.ZH + "请于 " + fmtTime(deadline) + " 前提交。",
			"Your certification application (" + caseID + ") needs more material: " + r.EN + " Please submit it before " + fmtTime(deadline) + "."}
	case NoticeApproved:
		title = Text{"认证已通过", "Certification approved"}
		body = Text{"您的认证申请（编号 " + caseID + "）已通过，有效期至 " + fmtTime(deadline) + "。",
			"Your certification application (" + caseID + ") was approved; it is valid until " + fmtTime(deadline) + "."}
	case NoticeRejected:
		r := reasonsText(rs)
		title = Text{"认证未通过", "Certification not approved"}
		body = Text{"您的认证申请（编号 " + caseID + "）未通过。原因：" + r.ZH + "您可以更正后重新申请。",
			"Your certification application (" + caseID + ") was not approved. Reason: " + r.EN + " You may correct it and apply again."}
	case NoticeReviewDue:
		r := reasonsText(rs)
		title = Text{"需要重新认证", "Re-certification due"}
		body = Text{"您的认证（编号 " + caseID + "）需要重新审核：" + r.ZH + "请重新提交申请。",
			"Your certification (" + caseID + ") must be reviewed again: " + r.EN + " Please apply again."}
	}
	return title, body
}
