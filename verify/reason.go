package verify

import "strings"

// Reason is a machine-readable code for a rule that decided, e.g. "name_mismatch" or
// "document_expired". Codes are stable: hosts may store them and switch on them.
// [Reason.Message] gives a human-readable text without personal data.
type Reason string

// Reasons reported by the document check and by [Policy.Decide].
const (
	// Document check.
	ReasonFieldTooLong              Reason = "field_too_long"              // a claimed field is over its byte limit (no registry call made)
	ReasonFieldInvalidText          Reason = "field_invalid_text"          // a claimed field holds invalid UTF-8 or a bidirectional control (no registry call made)
	ReasonKindInvalid               Reason = "kind_invalid"                // claim has no valid credential kind
	ReasonNumberInvalid             Reason = "number_invalid"              // document number malformed (no registry call made)
	ReasonRecordNotFound            Reason = "record_not_found"            // registry has no such document
	ReasonNameMissing               Reason = "name_missing"                // claim has no name
	ReasonNameMismatch              Reason = "name_mismatch"               // name differs from the registry
	ReasonNameLenientMatch          Reason = "name_lenient_match"          // name matches only after lenient folding
	ReasonNameTraditionalSimplified Reason = "name_traditional_simplified" // name matches only with traditional and simplified characters equated
	ReasonLatinNameMismatch         Reason = "latin_name_mismatch"         // Latin-script name differs
	ReasonGenderMismatch            Reason = "gender_mismatch"             // gender differs
	ReasonBirthDateMismatch         Reason = "birth_date_mismatch"         // birth date differs
	ReasonNationalityMismatch       Reason = "nationality_mismatch"        // nationality differs
	ReasonEthnicityMismatch         Reason = "ethnicity_mismatch"          // ethnicity differs
	ReasonAddressMismatch           Reason = "address_mismatch"            // address differs (lenient comparison)
	ReasonDocumentExpired           Reason = "document_expired"            // validity ended
	ReasonDocumentNotYetValid       Reason = "document_not_yet_valid"      // validity has not begun
	ReasonDocumentReportedLost      Reason = "document_reported_lost"      // reported lost (挂失)
	ReasonDocumentRevoked           Reason = "document_revoked"            // revoked or cancelled (注销/作废)
	ReasonDocumentStatusUnknown     Reason = "document_status_unknown"     // registry gave no usable status
	ReasonLegacyCardInvalid         Reason = "legacy_card_invalid"         // first-generation card, invalid since 2013-01-01
	ReasonPhotoUnavailable          Reason = "photo_unavailable"           // registry holds no photo for face matching
	ReasonDocumentCheckMissing      Reason = "document_check_missing"      // no document check was given to Decide
	ReasonRealNameVerified          Reason = "real_name_verified"          // success: real-name level established

	// Real-person and memory evidence.
	ReasonLivenessNotPerformed Reason = "liveness_not_performed" // no real-person evidence
	ReasonLivenessFailed       Reason = "liveness_failed"        // liveness challenge failed
	ReasonFaceMatchFailed      Reason = "face_match_failed"      // face did not match the registry photo
	ReasonRealPersonVerified   Reason = "real_person_verified"   // success: real-person level established
	ReasonQuizNotPerformed     Reason = "quiz_not_performed"     // no memory evidence
	ReasonQuizFailed           Reason = "quiz_failed"            // memory quiz failed
	ReasonMemoryVerified       Reason = "memory_verified"        // success: memory quiz passed
	ReasonSubjectMismatch      Reason = "subject_mismatch"       // evidence belongs to another subject
	ReasonLevelNotReached      Reason = "level_not_reached"      // the required level was not reached
)

type reasonText struct{ zh, en string }

var reasonTexts = map[Reason]reasonText{
	ReasonFieldTooLong:              {"填写的信息超出允许的长度。", "A field of the claim is longer than allowed."},
	ReasonFieldInvalidText:          {"填写的信息含有不允许的字符（无效编码或文字方向控制符）。", "A field of the claim contains characters that are not allowed (invalid encoding or text-direction controls)."},
	ReasonKindInvalid:               {"证件类型无效。", "The credential type is not valid."},
	ReasonNumberInvalid:             {"证件号码格式或校验位不正确。", "The document number is malformed or its check character is wrong."},
	ReasonRecordNotFound:            {"权威库中未找到该证件。", "No record of this document was found in the authoritative registry."},
	ReasonNameMissing:               {"未提供姓名。", "No name was provided."},
	ReasonNameMismatch:              {"姓名与证件登记信息不一致。", "The name does not match the registered name."},
	ReasonNameLenientMatch:          {"姓名仅在宽松比对后一致，需要人工审核。", "The name matches only after lenient comparison; manual review is needed."},
	ReasonNameTraditionalSimplified: {"姓名仅在繁简字转换后一致，需要人工审核。", "The name matches only when traditional and simplified characters are equated; manual review is needed."},
	ReasonLatinNameMismatch:         {"外文姓名与证件登记信息不一致。", "The Latin-script name does not match the registered name."},
	ReasonGenderMismatch:            {"性别与证件登记信息不一致。", "The gender does not match the registered gender."},
	ReasonBirthDateMismatch:         {"出生日期与证件登记信息不一致。", "The date of birth does not match the registered date of birth."},
	ReasonNationalityMismatch:       {"国籍与证件登记信息不一致。", "The nationality does not match the registered nationality."},
	ReasonEthnicityMismatch:         {"民族与证件登记信息不一致。", "The ethnic group does not match the registered ethnic group."},
	ReasonAddressMismatch:           {"住址与证件登记信息不一致。", "The address does not match the registered address."},
	ReasonDocumentExpired:           {"证件已过有效期。", "The document has expired."},
	ReasonDocumentNotYetValid:       {"证件尚未生效。", "The document is not yet valid."},
	ReasonDocumentReportedLost:      {"证件已挂失。", "The document has been reported lost."},
	ReasonDocumentRevoked:           {"证件已注销或作废。", "The document has been revoked."},
	ReasonDocumentStatusUnknown:     {"无法确认证件状态。", "The status of the document could not be established."},
	ReasonLegacyCardInvalid:         {"第一代居民身份证已于2013年1月1日停止使用。", "First-generation resident identity cards ceased to be valid on 1 January 2013."},
	ReasonPhotoUnavailable:          {"权威库中没有可用于人脸比对的照片。", "The registry holds no photo for face matching."},
	ReasonDocumentCheckMissing:      {"缺少证件核验结果。", "No document check result was provided."},
	ReasonRealNameVerified:          {"实名核验通过。", "Real-name verification passed."},
	ReasonLivenessNotPerformed:      {"未进行活体检测。", "No liveness check was performed."},
	ReasonLivenessFailed:            {"活体检测未通过。", "The liveness check failed."},
	ReasonFaceMatchFailed:           {"人脸比对未通过。", "The face does not match the registry photo."},
	ReasonRealPersonVerified:        {"实人核验通过。", "Real-person verification passed."},
	ReasonQuizNotPerformed:          {"未进行动态问卷。", "No knowledge quiz was performed."},
	ReasonQuizFailed:                {"动态问卷未通过。", "The knowledge quiz failed."},
	ReasonMemoryVerified:            {"动态问卷通过。", "The knowledge quiz passed."},
	ReasonSubjectMismatch:           {"核验材料不属于同一人。", "The evidence belongs to a different subject than the document check."},
	ReasonLevelNotReached:           {"未达到所要求的认证等级。", "The required assurance level was not reached."},
}

// Reasons returns every reason code the package defines, in a stable order.
func Reasons() []Reason {
	return []Reason{
		ReasonFieldTooLong, ReasonFieldInvalidText,
		ReasonKindInvalid, ReasonNumberInvalid, ReasonRecordNotFound, ReasonNameMissing,
		ReasonNameMismatch, ReasonNameLenientMatch, ReasonNameTraditionalSimplified,
		ReasonLatinNameMismatch,
		ReasonGenderMismatch, ReasonBirthDateMismatch, ReasonNationalityMismatch,
		ReasonEthnicityMismatch, ReasonAddressMismatch, ReasonDocumentExpired,
		ReasonDocumentNotYetValid, ReasonDocumentReportedLost, ReasonDocumentRevoked,
		ReasonDocumentStatusUnknown, ReasonLegacyCardInvalid, ReasonPhotoUnavailable,
		ReasonDocumentCheckMissing, ReasonRealNameVerified, ReasonLivenessNotPerformed,
		ReasonLivenessFailed, ReasonFaceMatchFailed, ReasonRealPersonVerified,
		ReasonQuizNotPerformed, ReasonQuizFailed, ReasonMemoryVerified,
		ReasonSubjectMismatch, ReasonLevelNotReached, ReasonEvidenceMismatch, ReasonEvidenceStale,
		ReasonNotIdentityEvidence,
	}
}

// Known reports whether r is a code this package defines.
func (r Reason) Known() bool {
	_, ok := reasonTexts[r]
	return ok
}

// Success reports whether r records an established fact rather than a problem
// (real_name_verified, real_person_verified, memory_verified).
func (r Reason) Success() bool {
	return r == ReasonRealNameVerified || r == ReasonRealPersonVerified || r == ReasonMemoryVerified
}

// Message returns a human-readable message for r in the language lang: Chinese for "zh"
// and any "zh-…" tag (e.g. "zh-CN", "zh-Hans"), English otherwise. Messages hold no
// personal data. An unknown code yields a generic message naming the code.
func (r Reason) Message(lang string) string {
	zh := lang == "zh" || strings.HasPrefix(strings.ToLower(lang), "zh-") || strings.HasPrefix(strings.ToLower(lang), "zh_")
	t, ok := reasonTexts[r]
	if !ok {
		if zh {
			return "核验未通过（" + string(r) + "）。"
		}
		return "Verification did not pass (" + string(r) + ")."
	}
	if zh {
		return t.zh
	}
	return t.en
}
