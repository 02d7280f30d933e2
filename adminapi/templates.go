package adminapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type templateItem struct {
	Name         string   `json:"name"`
	Text         string   `json:"text"`
	Placeholders []string `json:"placeholders"`
}

type templateList struct {
	Templates []templateItem `json:"templates"`
}

// ReminderTemplates handles GET /reminder-templates: the clinic's templates
// (REMINDER_TEMPLATES) with their placeholders, for the dashboard's picker.
// It runs behind RequireAdmin.
func (a *API) ReminderTemplates(c echo.Context) error {
	list := a.templates.List()
	out := templateList{Templates: make([]templateItem, 0, len(list))}
	for _, t := range list {
		item := templateItem{Name: t.Name, Text: t.Text, Placeholders: t.Placeholders}
		if item.Placeholders == nil {
			item.Placeholders = []string{}
		}
		out.Templates = append(out.Templates, item)
	}
	return c.JSON(http.StatusOK, out)
}
