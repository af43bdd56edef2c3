package jobs

import (
	"strings"
	"testing"
)

func TestSMTPURLIsCheckedAtStart(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ url, problem string }{
		{"smtp://mail.example.gov.cn:587?from=steward@example.gov.cn", ""},
		{"smtps://u:s3cret@mail.example.gov.cn?from=steward@example.gov.cn", ""},
		{"smtp://relay.intranet?from=steward@example.gov.cn&tls=none&auth=plain", ""},
		{"smtp://mail.example.gov.cn", "from"},
		{"smtp://mail.example.gov.cn?from=nobody", "from"},
		{"smtp://u:s3cret@mail.example.gov.cn?from=steward@example.gov.cn&tls=maybe", "tls"},
		{"smtp://u:s3cret@mail.example.gov.cn:99999?from=steward@example.gov.cn", "port"},
		{"http://mail.example.gov.cn?from=steward@example.gov.cn", "scheme"},
		{"smtp://u:s3cret@mail.example.gov.cn?from=steward@example.gov.cn&auth=kerberos", "auth"},
	} {
		_, err := NewSMTPMailer(tc.url)
		switch {
		case tc.problem == "" && err != nil:
			t.Errorf("%s: %v", tc.url, err)
		case tc.problem != "" && (err == nil || !strings.Contains(err.Error(), tc.problem)):
			t.Errorf("%s: error %v, want one about %s", tc.url, err, tc.problem)
		case err != nil && strings.Contains(err.Error(), "s3cret"):
			t.Errorf("%s: the error shows the password: %v", tc.url, err)
		}
	}
}
