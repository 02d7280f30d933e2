package adminapi

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

// openapiYAML is the OpenAPI 3 description of this API. A test checks real
// handler answers against it, so it cannot drift from the code.
//
//go:embed openapi.yaml
var openapiYAML []byte

// ServeOpenAPI handles GET /openapi.yaml.
func ServeOpenAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, "application/yaml", openapiYAML)
}
