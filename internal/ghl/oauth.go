package ghl

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// DefaultAuthorizeURL is the Marketplace page where a user picks the
// location to install an app in (moved under /v2/ in May 2026).
const DefaultAuthorizeURL = "https://marketplace.gohighlevel.com/v2/oauth/chooselocation"

// User types of OAuth tokens.
const (
	UserTypeLocation = "Location"
	UserTypeCompany  = "Company"
)

// OAuthCredentials identify a Marketplace app.
type OAuthCredentials struct {
	ClientID     string
	ClientSecret string
	// RedirectURL must match the app's registered redirect URI.
	RedirectURL string
}

// String hides the client secret.
func (o OAuthCredentials) String() string {
	return fmt.Sprintf("OAuthCredentials{ClientID:%s ClientSecret:REDACTED RedirectURL:%s}", o.ClientID, o.RedirectURL)
}

// LogValue hides the client secret from slog.
func (o OAuthCredentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("client_id", o.ClientID), slog.String("redirect_url", o.RedirectURL))
}

// AuthorizeURL returns the page to send a user to for installing the app;
// HighLevel redirects back to RedirectURL with ?code=…. authURL "" means
// DefaultAuthorizeURL (a sandbox serves /oauth/chooselocation).
func (o OAuthCredentials) AuthorizeURL(authURL string, scopes []string, state string) string {
	if authURL == "" {
		authURL = DefaultAuthorizeURL
	}
	q := url.Values{
		"response_type": {"code"},
		"client_id":     {o.ClientID},
		"redirect_uri":  {o.RedirectURL},
		"scope":         {strings.Join(scopes, " ")},
	}
	if state != "" {
		q.Set("state", state)
	}
	sep := "?"
	if strings.Contains(authURL, "?") {
		sep = "&"
	}
	return authURL + sep + q.Encode()
}

// TokenResponse is the answer of the token endpoints. String and LogValue
// hide the tokens.
type TokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	RefreshToken string `json:"refresh_token,omitzero"`
	// Scope lists the granted scopes, space separated.
	Scope string `json:"scope"`
	// UserType is "Location" or "Company".
	UserType                 string   `json:"userType,omitzero"`
	LocationID               string   `json:"locationId,omitzero"`
	CompanyID                string   `json:"companyId,omitzero"`
	ApprovedLocations        []string `json:"approvedLocations,omitzero"`
	UserID                   string   `json:"userId,omitzero"`
	PlanID                   string   `json:"planId,omitzero"`
	IsBulkInstallation       bool     `json:"isBulkInstallation,omitzero"`
	InstallToFutureLocations bool     `json:"installToFutureLocations,omitzero"`
	ApproveAllLocations      bool     `json:"approveAllLocations,omitzero"`
	// AppID and VersionID come with location tokens.
	AppID     string `json:"appId,omitzero"`
	VersionID string `json:"versionId,omitzero"`
}

// String hides the tokens.
func (t TokenResponse) String() string {
	return fmt.Sprintf("TokenResponse{UserType:%s LocationID:%s CompanyID:%s Scope:%q ExpiresIn:%d}",
		t.UserType, t.LocationID, t.CompanyID, t.Scope, t.ExpiresIn)
}

// LogValue hides the tokens from slog.
func (t TokenResponse) LogValue() slog.Value {
	return slog.GroupValue(slog.String("user_type", t.UserType), slog.String("location_id", t.LocationID),
		slog.String("company_id", t.CompanyID), slog.Int("expires_in", t.ExpiresIn))
}

// Scopes returns the granted scopes.
func (t TokenResponse) Scopes() []string { return strings.Fields(t.Scope) }

// OAuth2Token converts the answer to an oauth2.Token expiring ExpiresIn
// seconds after issued; the raw answer is kept as Extra.
func (t TokenResponse) OAuth2Token(issued time.Time) *oauth2.Token {
	tok := &oauth2.Token{
		AccessToken:  t.AccessToken,
		TokenType:    "Bearer",
		RefreshToken: t.RefreshToken,
	}
	if t.ExpiresIn > 0 {
		tok.ExpiresIn = int64(t.ExpiresIn)
		tok.Expiry = issued.Add(time.Duration(t.ExpiresIn) * time.Second)
	}
	return tok.WithExtra(map[string]any{
		"userType": t.UserType, "locationId": t.LocationID, "companyId": t.CompanyID, "scope": t.Scope,
	})
}

// ExchangeCode trades an authorization code for tokens. userType ""
// lets HighLevel pick (the type the installer chose).
func (c *Client) ExchangeCode(ctx context.Context, creds OAuthCredentials, code, userType string) (*TokenResponse, error) {
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}}
	if creds.RedirectURL != "" {
		form.Set("redirect_uri", creds.RedirectURL)
	}
	tok, err := c.tokenRequest(ctx, creds, form, userType)
	if err != nil {
		return nil, fmt.Errorf("ghl: exchange authorization code: %w", err)
	}
	return tok, nil
}

// RefreshToken trades a refresh token for new tokens. Refresh tokens are
// single use: the one passed in is dead once this returns successfully, so
// persist the returned RefreshToken before anything else, and never refresh
// the same token twice concurrently. An error matching ErrInvalidGrant means
// the grant is gone (used, revoked or expired) and the app must be installed
// again.
func (c *Client) RefreshToken(ctx context.Context, creds OAuthCredentials, refreshToken, userType string) (*TokenResponse, error) {
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken}}
	tok, err := c.tokenRequest(ctx, creds, form, userType)
	if err != nil {
		return nil, fmt.Errorf("ghl: refresh token: %w", err)
	}
	return tok, nil
}

func (c *Client) tokenRequest(ctx context.Context, creds OAuthCredentials, form url.Values, userType string) (*TokenResponse, error) {
	form.Set("client_id", creds.ClientID)
	form.Set("client_secret", creds.ClientSecret)
	if userType != "" {
		form.Set("user_type", userType)
	}
	var out TokenResponse
	if err := c.do(ctx, request{op: OpGetAccessToken, form: form, out: &out}); err != nil {
		return nil, err
	}
	if out.AccessToken == "" {
		return nil, fmt.Errorf("ghl: token answer without access_token")
	}
	return &out, nil
}

// LocationToken mints a location (sub-account) token from an agency token:
// agency supplies the agency token (nil: the client's token source). The
// answer has no refresh token; mint a new one when it expires.
func (c *Client) LocationToken(ctx context.Context, agency oauth2.TokenSource, companyID, locationID string) (*TokenResponse, error) {
	form := url.Values{"companyId": {companyID}, "locationId": {locationID}}
	var out TokenResponse
	if err := c.do(ctx, request{op: OpGetLocationAccessToken, form: form, out: &out, token: agency}); err != nil {
		return nil, fmt.Errorf("ghl: location token for %s: %w", locationID, err)
	}
	return &out, nil
}

// InstalledLocationsQuery selects the locations an app is installed in.
type InstalledLocationsQuery struct {
	CompanyID string
	AppID     string
	// IsInstalled filters on installation state when set.
	IsInstalled *bool
	Query       string
	Skip, Limit int
}

// InstalledLocations is a page of locations an app can reach.
type InstalledLocations struct {
	Locations []InstalledLocation `json:"locations"`
	Count     int                 `json:"count"`
	// InstallToFutureLocations is true when new locations get the app too.
	InstallToFutureLocations bool `json:"installToFutureLocations"`
}

// InstalledLocation is one location of an InstalledLocations page.
type InstalledLocation struct {
	ID          string `json:"_id"`
	Name        string `json:"name"`
	Address     string `json:"address"`
	IsInstalled bool   `json:"isInstalled"`
	VersionID   string `json:"versionId,omitzero"`
	InstalledAt string `json:"installedAt,omitzero"`
}

// ListInstalledLocations lists the locations of a company and whether the
// app is installed in each; agency nil uses the client's token source.
func (c *Client) ListInstalledLocations(ctx context.Context, agency oauth2.TokenSource, q InstalledLocationsQuery) (*InstalledLocations, error) {
	v := url.Values{"companyId": {q.CompanyID}, "appId": {q.AppID}}
	if q.IsInstalled != nil {
		v.Set("isInstalled", strconv.FormatBool(*q.IsInstalled))
	}
	if q.Query != "" {
		v.Set("query", q.Query)
	}
	if q.Skip > 0 {
		v.Set("skip", strconv.Itoa(q.Skip))
	}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	var out InstalledLocations
	if err := c.do(ctx, request{op: OpListInstalledLocations, query: v, out: &out, token: agency}); err != nil {
		return nil, fmt.Errorf("ghl: list installed locations: %w", err)
	}
	return &out, nil
}
