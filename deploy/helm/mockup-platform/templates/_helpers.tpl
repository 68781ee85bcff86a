{{/*
Names and labels. Every resource of a component carries the same selector
labels (name, instance, component), so Deployment selectors, Services, PDBs
and the ServiceMonitor line up by construction.
*/}}

{{- define "mockup-platform.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "mockup-platform.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The name of one component's resources: <fullname>-<component>. */}}
{{- define "mockup-platform.componentName" -}}
{{- printf "%s-%s" (include "mockup-platform.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "mockup-platform.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mockup-platform.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- if .component }}
app.kubernetes.io/component: {{ .component }}
{{- end }}
{{- end -}}

{{- define "mockup-platform.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "mockup-platform.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: mockup-platform
{{- end -}}

{{- define "mockup-platform.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "mockup-platform.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "mockup-platform.secretName" -}}
{{- default (include "mockup-platform.fullname" .) .Values.secrets.name -}}
{{- end -}}

{{/*
The components: the key of each one's values, its name (container, Service
suffix, `component` label, Prometheus `job` through the ServiceMonitor's
jobLabel), which Secret keys it reads (true: it cannot start without it), and
whether KEDA rather than a plain HPA scales it.
*/}}
{{- define "mockup-platform.components" -}}
core:
  name: core
  keda: false
  gpu: false
  secretKeys:
    DATABASE_URL: true
    REDIS_URL: true
    # The score cache and rate limiter's Redis, which may evict; unset: REDIS_URL.
    CACHE_REDIS_URL: false
    API_KEYS: false
    # The optimization metrics store (sqlite:<path> or a postgres:// URL with
    # credentials); unset: the main database.
    METRICS_STORE_URL: false
    # The edge's credential to core (the edge sends it; core checks it).
    EDGE_SERVICE_KEY: false
    # The mock-up bucket's credentials (mockupStorage.url).
    AWS_ACCESS_KEY_ID: false
    AWS_SECRET_ACCESS_KEY: false
signalIngestion:
  name: signal-ingestion
  keda: true
  gpu: false
  secretKeys:
    DATABASE_URL: true
    REDIS_URL: true
gpuWorker:
  name: gpu-worker
  keda: false
  gpu: true
  secretKeys:
    DATABASE_URL: true
    REDIS_URL: true
    AWS_ACCESS_KEY_ID: false
    AWS_SECRET_ACCESS_KEY: false
edge:
  name: edge
  keda: false
  gpu: false
  secretKeys:
    DATABASE_URL: true
    REDIS_URL: true
    # The score cache and rate limiter's Redis, which may evict; unset: REDIS_URL.
    CACHE_REDIS_URL: false
    API_KEYS: false
    UPSTASH_REDIS_REST_TOKEN: false
    NEON_DATABASE_URL: false
    EDGE_SERVICE_KEY: false
{{- end -}}

{{/*
One component's ConfigMap data, as YAML: the global config, overridden by the
component's own, plus what the chart derives (CORE_WORKERS, MODEL_DIR,
CORE_URL). Numbers are printed as integers (values arrive as float64, which
would print 1000000 as 1e+06). Shared by the ConfigMap and the pod's checksum
annotation, so a config change rolls exactly the pods that read it.
*/}}
{{- define "mockup-platform.configData" -}}
{{- $root := .root -}}
{{- $c := .values -}}
{{- $data := merge (deepCopy (default dict $c.config)) (deepCopy (default dict $root.Values.config)) -}}
{{- if eq .component "core" -}}
{{- $_ := set $data "CORE_WORKERS" $c.workers -}}
{{- end -}}
{{- if has .component (list "core" "gpu-worker") -}}
{{- $storage := $root.Values.mockupStorage -}}
{{- if $storage.url -}}
{{- $_ := set $data "MOCKUP_STORAGE_URL" $storage.url -}}
{{- $_ := set $data "MOCKUP_STORAGE_REGION" $storage.region -}}
{{- with $storage.endpoint }}{{ $_ := set $data "MOCKUP_STORAGE_ENDPOINT" . }}{{ end -}}
{{- with $storage.publicBaseUrl }}{{ $_ := set $data "MOCKUP_PUBLIC_BASE_URL" . }}{{ end -}}
{{- with $storage.urlTtlSeconds }}{{ $_ := set $data "MOCKUP_URL_TTL_SECONDS" . }}{{ end -}}
{{- else if include "mockup-platform.mockupVolume" $storage -}}
{{- $_ := set $data "MOCKUP_STORAGE_DIR" $storage.mountPath -}}
{{- end -}}
{{- end -}}
{{- if and (eq .component "core") $root.Values.ingress.enabled (not (hasKey $data "TRUST_PROXY")) -}}
{{- $_ := set $data "TRUST_PROXY" $root.Values.ingress.trustProxy -}}
{{- end -}}
{{- if and (eq .component "gpu-worker") (include "mockup-platform.modelVolume" $c) -}}
{{- $_ := set $data "MODEL_DIR" (trimSuffix "/" (printf "%s/%s" $c.model.mountPath (default "" $c.model.path))) -}}
{{- end -}}
{{- if and (eq .component "edge") (not (hasKey $data "CORE_URL")) $root.Values.core.enabled -}}
{{- $_ := set $data "CORE_URL" (printf "http://%s:%d" (include "mockup-platform.componentName" (dict "root" $root "component" "core")) (int $root.Values.core.ports.http)) -}}
{{- end -}}
{{- range $k, $v := $data }}
{{ $k }}: {{ if or (kindIs "float64" $v) (kindIs "int64" $v) (kindIs "int" $v) }}{{ $v | int64 | toString | quote }}{{ else }}{{ $v | toString | quote }}{{ end }}
{{- end }}
{{- end -}}

{{/* A component's image: its own `image` when set, else the global one. */}}
{{- define "mockup-platform.image" -}}
{{- $img := default .root.Values.image .values.image -}}
{{- printf "%s:%s" $img.repository (default .root.Chart.AppVersion $img.tag) -}}
{{- end -}}

{{/*
What values.schema.json cannot say: an autoscaler's minimum must not exceed
its maximum (the API server would reject the HPA only at install time).
*/}}
{{- define "mockup-platform.checkAutoscaling" -}}
{{- if gt (int .autoscaling.minReplicas) (int .autoscaling.maxReplicas) -}}
{{- fail (printf "%s.autoscaling: minReplicas (%d) is above maxReplicas (%d)" .key (int .autoscaling.minReplicas) (int .autoscaling.maxReplicas)) -}}
{{- end -}}
{{- end -}}

{{/*
The GPU worker's model volume source as YAML: `model.volume` when set, else
the claim `model.claimName`, else nothing.
*/}}
{{- define "mockup-platform.modelVolume" -}}
{{- if .model.volume -}}
{{- toYaml .model.volume -}}
{{- else if .model.claimName -}}
{{- toYaml (dict "persistentVolumeClaim" (dict "claimName" .model.claimName "readOnly" true)) -}}
{{- end -}}
{{- end -}}

{{/*
The shared mock-up image volume source as YAML: `mockupStorage.volume` when
set, else the claim `mockupStorage.claimName`, else nothing; nothing either
when the images go to a bucket (`mockupStorage.url`).
*/}}
{{- define "mockup-platform.mockupVolume" -}}
{{- if .url -}}
{{- else if .volume -}}
{{- toYaml .volume -}}
{{- else if .claimName -}}
{{- toYaml (dict "persistentVolumeClaim" (dict "claimName" .claimName)) -}}
{{- end -}}
{{- end -}}

{{/*
What every container of a component's pod shares, as YAML mapping keys:
image, command, workingDir, the ConfigMap (envFrom) and the security
context. Expects root, values (the component's), name (its resources' name)
and command.
*/}}
{{- define "mockup-platform.containerBase" -}}
image: {{ include "mockup-platform.image" . }}
imagePullPolicy: {{ .root.Values.image.pullPolicy }}
command:
  {{- toYaml .command | nindent 2 }}
workingDir: {{ .root.Values.workingDir }}
envFrom:
  - configMapRef:
      name: {{ .name }}
securityContext:
  {{- toYaml .root.Values.securityContext | nindent 2 }}
{{- end -}}

{{/*
The env entries every container of a component's pod shares, as a YAML list:
HOME and npm's cache on the /tmp emptyDir (the root filesystem is read-only:
npm's cache and logs and tsx's compile cache go there), the Secret's keys in
secretKeys (name: true when required) through secretKeyRef, then the
component's own `env`. Expects root, values and secretKeys.
*/}}
{{- define "mockup-platform.sharedEnv" -}}
- name: HOME
  value: /tmp
- name: NPM_CONFIG_CACHE
  value: /tmp/.npm
- name: NPM_CONFIG_UPDATE_NOTIFIER
  value: "false"
{{- range $secretKey, $needed := .secretKeys }}
- name: {{ $secretKey }}
  valueFrom:
    secretKeyRef:
      name: {{ include "mockup-platform.secretName" $.root }}
      key: {{ $secretKey }}
      {{- if not $needed }}
      optional: true
      {{- end }}
{{- end }}
{{- with .values.env }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The writable emptyDir mounts (`.data/` and /tmp) as a YAML list. */}}
{{- define "mockup-platform.writableMounts" -}}
- name: data
  mountPath: {{ printf "%s/.data" (trimSuffix "/" .Values.workingDir) }}
- name: tmp
  mountPath: /tmp
{{- end -}}

{{/*
A LabelSelector from values, without its empty fields: a values file that
nulls the default's only label leaves `matchLabels: {}` behind.
*/}}
{{- define "mockup-platform.labelSelector" -}}
{{- $selector := dict -}}
{{- range $field, $value := . -}}
{{- if $value -}}
{{- $_ := set $selector $field $value -}}
{{- end -}}
{{- end -}}
{{- toYaml $selector -}}
{{- end -}}

{{/*
Core's public route prefixes, the only paths the Ingress routes (core's route
table: the routes.ts files under core/; tests/deploy/ingress.test.ts keeps them in step).
Never /admin (the queue dashboard) nor /metrics (another port anyway).
*/}}
{{- define "mockup-platform.corePublicPaths" -}}
- /v1
- /signals
- /mockups
- /experiments
- /analytics
{{- end -}}
