package domain

import (
	"context"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Scale is an enterprise's size class (企业规模).
type Scale string

// Scales.
const (
	ScaleLarge  Scale = "large"
	ScaleMedium Scale = "medium"
	ScaleSmall  Scale = "small"
	ScaleMicro  Scale = "micro"
)

// Scales lists every scale, largest first.
var Scales = []Scale{ScaleLarge, ScaleMedium, ScaleSmall, ScaleMicro}

// KeyLevel says at which level an enterprise or project is a key one (重点).
type KeyLevel string

// Key levels.
const (
	KeyProvincial KeyLevel = "provincial" // 省级重点
	KeyMunicipal  KeyLevel = "municipal"  // 市级重点
	KeyDistrict   KeyLevel = "district"   // 区级重点
)

// KeyLevels lists every key level, highest first.
var KeyLevels = []KeyLevel{KeyProvincial, KeyMunicipal, KeyDistrict}

// EnterpriseStatus is whether an enterprise is served or archived; records are never deleted.
type EnterpriseStatus string

// Enterprise statuses.
const (
	EnterpriseActive   EnterpriseStatus = "active"
	EnterpriseArchived EnterpriseStatus = "archived"
)

// EnterpriseStatuses lists every status.
var EnterpriseStatuses = []EnterpriseStatus{EnterpriseActive, EnterpriseArchived}

// Industries maps the section letters of GB/T 4754-2017 (国民经济行业分类) to their names.
var Industries = map[string]string{
	"A": "农、林、牧、渔业", "B": "采矿业", "C": "制造业", "D": "电力、热力、燃气及水生产和供应业",
	"E": "建筑业", "F": "批发和零售业", "G": "交通运输、仓储和邮政业", "H": "住宿和餐饮业",
	"I": "信息传输、软件和信息技术服务业", "J": "金融业", "K": "房地产业", "L": "租赁和商务服务业",
	"M": "科学研究和技术服务业", "N": "水利、环境和公共设施管理业", "O": "居民服务、修理和其他服务业",
	"P": "教育", "Q": "卫生和社会工作", "R": "文化、体育和娱乐业", "S": "公共管理、社会保障和社会组织",
	"T": "国际组织",
}

// Contact is a person at an enterprise the bureau talks to.
type Contact struct {
	Name  string
	Title string
	Phone string
	Email string
}

// Enterprise (企业) is a key enterprise the bureau looks after: one file per enterprise (一企一档).
type Enterprise struct {
	ID string
	// Name is the registered name.
	Name string
	// CreditCode is the unified social credit code (统一社会信用代码), unique, in normal form.
	CreditCode          string
	LegalRepresentative string
	// Industry is a GB/T 4754 section letter, see Industries.
	Industry string
	Scale    Scale
	KeyLevel KeyLevel
	Address  string
	// Street is the sub-district (街道) the enterprise is in.
	Street    string
	Tags      []string
	Contacts  []Contact
	Status    EnterpriseStatus
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// EnterprisePatch carries the fields a PATCH changes; nil means unchanged.
type EnterprisePatch struct {
	Name                *string
	CreditCode          *string
	LegalRepresentative *string
	Industry            *string
	Scale               *Scale
	KeyLevel            *KeyLevel
	Address             *string
	Street              *string
	Tags                *[]string
	Contacts            *[]Contact
}

// Validate normalizes the enterprise's fields (trimmed text, credit code in normal form, tags
// without blanks or repeats) and reports every invalid one.
func (e *Enterprise) Validate() error {
	var v Validation
	text := func(field string, s *string, min, max int) {
		*s = strings.TrimSpace(*s)
		n := utf8.RuneCountInString(*s)
		if n < min || n > max {
			if min > 0 {
				v.Add(field, "must be %d to %d characters", min, max)
			} else {
				v.Add(field, "must be at most %d characters", max)
			}
		}
	}
	text("name", &e.Name, 2, 200)
	if code, err := NormalizeCreditCode(e.CreditCode); err != nil {
		v.Add("credit_code", "%s", err.Error())
	} else {
		e.CreditCode = code
	}
	text("legal_representative", &e.LegalRepresentative, 0, 50)
	e.Industry = strings.ToUpper(strings.TrimSpace(e.Industry))
	if _, ok := Industries[e.Industry]; !ok {
		v.Add("industry", "must be a GB/T 4754 section letter A–T")
	}
	v.Check(oneOf(e.Scale, Scales), "scale", "must be one of large, medium, small, micro")
	v.Check(oneOf(e.KeyLevel, KeyLevels), "key_level", "must be one of provincial, municipal, district")
	text("address", &e.Address, 0, 200)
	text("street", &e.Street, 0, 50)
	if e.Status == "" {
		e.Status = EnterpriseActive
	}
	v.Check(oneOf(e.Status, EnterpriseStatuses), "status", "must be active or archived")

	tags := make([]string, 0, len(e.Tags))
	seen := map[string]bool{}
	for _, t := range e.Tags {
		t = strings.TrimSpace(t)
		if t == "" || seen[t] {
			continue
		}
		if utf8.RuneCountInString(t) > 20 {
			v.Add("tags", "each tag must be at most 20 characters")
			break
		}
		seen[t] = true
		tags = append(tags, t)
	}
	v.Check(len(tags) <= 20, "tags", "at most 20 tags")
	e.Tags = tags

	v.Check(len(e.Contacts) <= 20, "contacts", "at most 20 contacts")
	for i := range e.Contacts {
		c := &e.Contacts[i]
		c.Name, c.Title = strings.TrimSpace(c.Name), strings.TrimSpace(c.Title)
		c.Phone, c.Email = strings.TrimSpace(c.Phone), strings.TrimSpace(c.Email)
		n := utf8.RuneCountInString(c.Name)
		v.Check(n >= 1 && n <= 50, fieldIndex("contacts", i, "name"), "must be 1 to 50 characters")
		v.Check(utf8.RuneCountInString(c.Title) <= 50, fieldIndex("contacts", i, "title"), "must be at most 50 characters")
		v.Check(c.Phone == "" || ValidPhone(c.Phone), fieldIndex("contacts", i, "phone"), "must be a phone number (digits, optionally +, - and spaces)")
		if c.Email != "" {
			a, err := mail.ParseAddress(c.Email)
			v.Check(err == nil && a.Address == c.Email, fieldIndex("contacts", i, "email"), "must be an email address")
		}
	}
	return v.Err()
}

// Apply changes e by p and validates the result.
func (e *Enterprise) Apply(p EnterprisePatch) error {
	set(&e.Name, p.Name)
	set(&e.CreditCode, p.CreditCode)
	set(&e.LegalRepresentative, p.LegalRepresentative)
	set(&e.Industry, p.Industry)
	set(&e.Scale, p.Scale)
	set(&e.KeyLevel, p.KeyLevel)
	set(&e.Address, p.Address)
	set(&e.Street, p.Street)
	set(&e.Tags, p.Tags)
	set(&e.Contacts, p.Contacts)
	return e.Validate()
}

// ValidPhone reports whether s looks like a Chinese mobile or landline number: 5 to 20 digits,
// with an optional leading + and - or spaces between groups.
func ValidPhone(s string) bool {
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == '-', r == ' ':
		default:
			return false
		}
	}
	return digits >= 5 && digits <= 20
}

// EnterpriseFilter narrows an enterprise list.
type EnterpriseFilter struct {
	// Q matches a fragment of the name, of its full pinyin or initials (zgdl finds 中国电力…),
	// or a prefix of the credit code.
	Q        string
	KeyLevel KeyLevel
	Industry string
	Street   string
	Status   EnterpriseStatus
	// StewardID and LeaderID keep the enterprises currently assigned to that steward or leader.
	StewardID string
	LeaderID  string
	// CreditCode keeps the enterprise of exactly this credit code; it is the one filter an
	// integration may (and must) use, and its answer holds only ids and names.
	CreditCode string
	Sort       Sort
}

// Sort is the order of a list.
type Sort string

// Sorts.
const (
	SortNewest Sort = ""     // newest first
	SortByName Sort = "name" // by name in pinyin order
)

// SetStatus archives (归档) or restores an enterprise. Records of government work are never
// deleted: an archived enterprise leaves the working lists but keeps its file.
func (e *Enterprise) SetStatus(status EnterpriseStatus, reason string) error {
	if !oneOf(status, EnterpriseStatuses) {
		return Errorf(EINVALID, "status must be active or archived")
	}
	if e.Status == status {
		return Errorf(ETRANSITION, "the enterprise is already %s", status)
	}
	if status == EnterpriseArchived && strings.TrimSpace(reason) == "" {
		return &Error{Code: EINVALID, Message: "say why the enterprise is archived",
			Fields: []FieldError{{Field: "reason", Message: "is required"}}}
	}
	e.Status = status
	return nil
}

// EnterpriseService stores enterprises. Every method acts for the actor in ctx: lists hold only
// the enterprises in the actor's EnterpriseScope, a single enterprise outside it is ENOTFOUND, and
// contact phone numbers come masked unless SeesFullContacts.
type EnterpriseService interface {
	// CreateEnterprise validates e, stores it and fills in its ID, version and times.
	// Returns EINVALID on bad fields, ECONFLICT when the credit code is already registered and
	// EFORBIDDEN when the actor may not create enterprises.
	CreateEnterprise(ctx context.Context, e *Enterprise) error
	// Enterprise returns one enterprise. Returns ENOTFOUND if it does not exist or is outside
	// the actor's scope, EFORBIDDEN for a role that may not read enterprises (integrations).
	Enterprise(ctx context.Context, id string) (*Enterprise, error)
	// Enterprises lists enterprises, newest first. An actor who may only look enterprises up
	// (ActLookUp: integrations) gets EFORBIDDEN without f.CreditCode, and with it the match
	// holding only its id and name.
	Enterprises(ctx context.Context, f EnterpriseFilter, p Page) (*List[Enterprise], error)
	// UpdateEnterprise applies p if version is current (MayPatchEnterprise: enterprise users
	// change only their own contacts). Returns ENOTFOUND, EFORBIDDEN, EVERSION on a stale version, EINVALID on bad fields and ECONFLICT when the new credit code is taken.
	UpdateEnterprise(ctx context.Context, id string, version int, p EnterprisePatch) (*Enterprise, error)
	// RevealEnterprise returns the enterprise with its contacts unmasked and audits the reveal.
	RevealEnterprise(ctx context.Context, id string) (*Enterprise, error)
	// SetEnterpriseStatus archives or restores an enterprise (version 0: the current one).
	// Returns ETRANSITION when it already has that status, EINVALID without a reason to archive.
	SetEnterpriseStatus(ctx context.Context, id string, version int, status EnterpriseStatus, reason string) (*Enterprise, error)
	// MyEnterpriseReader: an enterprise user's own enterprise and who serves it (the portal).
	MyEnterpriseReader
}

func set[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

func fieldIndex(list string, i int, field string) string {
	return list + "[" + strconv.Itoa(i) + "]." + field
}
