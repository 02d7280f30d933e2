package adminapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// previewRequest is the text part of a reminder request.
type previewRequest struct {
	MessageText string            `json:"messageText"`
	Template    string            `json:"template"`
	Params      map[string]string `json:"params"`
	Medium      string            `json:"medium"`
	Location    string            `json:"location"` // checked as /send-reminder checks it
}

type previewResponse struct {
	Characters int    `json:"characters"`
	Segments   int    `json:"segments"`
	Encoding   string `json:"encoding"`
	Medium     string `json:"medium"`
}

// SMSPreview handles POST /sms-preview: what a reminder's text would cost,
// so the dashboard can show it while the admin types. The text is resolved
// as /send-reminder resolves it (template errors are the same 400s); the
// other reminder rules (length, characters) are left to the send, so a
// preview always answers for text being typed. It runs behind RequireAdmin,
// within the admin's allowance (pace).
func (a *API) SMSPreview(c echo.Context) error {
	if err := a.pace(c, a.previewLimit); err != nil {
		return err
	}
	var req previewRequest
	if err := decodeText(c, &req); err != nil {
		return err
	}
	text, err := a.templates.Resolve(req.MessageText, req.Template, req.Params)
	if err != nil {
		return err
	}
	medium, err := parseMedium(req.Medium)
	if err != nil {
		return err
	}
	if len(a.locations) > 0 {
		if _, err := a.locations.For(adminID(c), req.Location); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, previewResponse(costOf(text, medium)))
}
