// chart-render renders a Helm chart the way `helm template` does, for tests on machines without helm:
// Go text/template with the sprig function library (the engine Helm itself uses) plus Helm's own functions
// include, required, toYaml, fromYaml and tpl. It prints the rendered manifests as one JSON document:
//
//	{"manifests":[{"template":"statefulset.yaml","object":{...}},...],"notes":"..."}
//
// Usage: chart-render CHART_DIR RELEASE NAMESPACE [key.path=value ...]
// A value is parsed as YAML (so 3 is a number, true a bool, [a,b] a list), like `helm --set-json` for scalars.
// Not supported (the peat-mesh chart uses none of them): lookup, .Capabilities, .Files, subcharts, hooks.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	"gopkg.in/yaml.v2"
)

func main() {
	if len(os.Args) < 4 {
		fmt.Fprintln(os.Stderr, "usage: chart-render CHART_DIR RELEASE NAMESPACE [key.path=value ...]")
		os.Exit(2)
	}
	out, err := render(os.Args[1], os.Args[2], os.Args[3], os.Args[4:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "chart-render:", err)
		os.Exit(1)
	}
	os.Stdout.Write(out)
}

func render(chartDir, release, namespace string, sets []string) ([]byte, error) {
	chart, err := readYaml(filepath.Join(chartDir, "Chart.yaml"))
	if err != nil {
		return nil, err
	}
	values, err := readYaml(filepath.Join(chartDir, "values.yaml"))
	if err != nil {
		return nil, err
	}
	for _, set := range sets {
		key, text, ok := strings.Cut(set, "=")
		if !ok {
			return nil, fmt.Errorf("override %q is not key=value", set)
		}
		var value interface{}
		if err := yaml.Unmarshal([]byte(text), &value); err != nil {
			return nil, fmt.Errorf("override %q: %w", set, err)
		}
		setPath(values, strings.Split(key, "."), normalize(value))
	}

	top := map[string]interface{}{
		"Values": values,
		"Chart": map[string]interface{}{
			"Name": chart["name"], "Version": chart["version"], "AppVersion": chart["appVersion"],
			"Description": chart["description"],
		},
		"Release": map[string]interface{}{
			"Name": release, "Namespace": namespace, "Service": "Helm", "IsInstall": true, "IsUpgrade": false, "Revision": 1,
		},
	}

	files, err := filepath.Glob(filepath.Join(chartDir, "templates", "*"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	root := template.New("chart").Option("missingkey=zero")
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env")
	delete(funcs, "expandenv")
	funcs["include"] = func(name string, data interface{}) (string, error) {
		var buf bytes.Buffer
		err := root.ExecuteTemplate(&buf, name, data)
		return buf.String(), err
	}
	funcs["tpl"] = func(text string, data interface{}) (string, error) {
		t, err := root.Clone()
		if err != nil {
			return "", err
		}
		t, err = t.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var buf bytes.Buffer
		err = t.Execute(&buf, data)
		return buf.String(), err
	}
	funcs["required"] = func(message string, value interface{}) (interface{}, error) {
		if value == nil {
			return nil, fmt.Errorf("required: %s", message)
		}
		if s, ok := value.(string); ok && s == "" {
			return nil, fmt.Errorf("required: %s", message)
		}
		return value, nil
	}
	funcs["toYaml"] = func(value interface{}) string {
		data, err := yaml.Marshal(value)
		if err != nil {
			return ""
		}
		return strings.TrimSuffix(string(data), "\n")
	}
	funcs["fromYaml"] = func(text string) map[string]interface{} {
		var value map[string]interface{}
		if err := yaml.Unmarshal([]byte(text), &value); err != nil {
			return map[string]interface{}{"Error": err.Error()}
		}
		return normalize(value).(map[string]interface{})
	}
	root.Funcs(funcs)
	for _, file := range files {
		text, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		if _, err := root.New(filepath.Base(file)).Parse(string(text)); err != nil {
			return nil, err
		}
	}

	type manifest struct {
		Template string      `json:"template"`
		Object   interface{} `json:"object"`
	}
	result := struct {
		Manifests []manifest `json:"manifests"`
		Notes     string     `json:"notes"`
	}{Manifests: []manifest{}}
	for _, file := range files {
		name := filepath.Base(file)
		if strings.HasPrefix(name, "_") {
			continue
		}
		var buf bytes.Buffer
		if err := root.ExecuteTemplate(&buf, name, top); err != nil {
			return nil, err
		}
		rendered := strings.ReplaceAll(buf.String(), "<no value>", "")
		if name == "NOTES.txt" {
			result.Notes = rendered
			continue
		}
		for i, doc := range strings.Split(rendered, "\n---") {
			if strings.TrimSpace(doc) == "" {
				continue
			}
			var object interface{}
			if err := yaml.UnmarshalStrict([]byte(doc), &object); err != nil {
				return nil, fmt.Errorf("%s (document %d) is not valid YAML: %w\n%s", name, i, err, doc)
			}
			if object == nil {
				continue
			}
			result.Manifests = append(result.Manifests, manifest{Template: name, Object: normalize(object)})
		}
	}
	return json.MarshalIndent(result, "", "  ")
}

func readYaml(path string) (map[string]interface{}, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var value interface{}
	if err := yaml.Unmarshal(data, &value); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if value == nil {
		return map[string]interface{}{}, nil
	}
	m, ok := normalize(value).(map[string]interface{})
	if !ok {
		return nil, fmt.Errorf("%s: not a mapping", path)
	}
	return m, nil
}

// normalize turns yaml.v2's map[interface{}]interface{} into map[string]interface{} (as Helm's values are).
func normalize(value interface{}) interface{} {
	switch v := value.(type) {
	case map[interface{}]interface{}:
		m := make(map[string]interface{}, len(v))
		for key, item := range v {
			m[fmt.Sprint(key)] = normalize(item)
		}
		return m
	case map[string]interface{}:
		for key, item := range v {
			v[key] = normalize(item)
		}
		return v
	case []interface{}:
		for i, item := range v {
			v[i] = normalize(item)
		}
		return v
	default:
		return v
	}
}

func setPath(values map[string]interface{}, path []string, value interface{}) {
	for _, key := range path[:len(path)-1] {
		next, ok := values[key].(map[string]interface{})
		if !ok {
			next = map[string]interface{}{}
			values[key] = next
		}
		values = next
	}
	values[path[len(path)-1]] = value
}
