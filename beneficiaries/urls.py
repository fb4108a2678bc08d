from django.urls import path

from . import views

app_name = "beneficiaries"

urlpatterns = [
    path("", views.BeneficiaryListView.as_view(), name="beneficiary-list"),
    path("new/", views.BeneficiaryCreateView.as_view(), name="beneficiary-create"),
    path("import/", views.ImportView.as_view(), name="beneficiary-import"),
    path("import/<uuid:pk>/", views.ImportJobView.as_view(), name="import-job"),
    path("import/<uuid:pk>/status/", views.ImportJobStatusView.as_view(), name="import-job-status"),
    path("import/template.csv", views.ImportTemplateView.as_view(file_format="csv"), name="import-template-csv"),
    path("import/template.xlsx", views.ImportTemplateView.as_view(file_format="xlsx"), name="import-template-xlsx"),
    path("import/xlsform/<str:code>.xlsx", views.RegistrationXLSFormView.as_view(), name="import-xlsform"),
    path("import/kobotoolbox/<str:code>/", views.KoboFetchView.as_view(), name="import-kobo"),
    path("export.csv", views.BeneficiaryExportView.as_view(file_format="csv"), name="beneficiary-export-csv"),
    path("export.xlsx", views.BeneficiaryExportView.as_view(file_format="xlsx"), name="beneficiary-export-xlsx"),
    path("exports/<uuid:pk>/", views.ExportJobView.as_view(), name="export-job"),
    path("exports/<uuid:pk>/download/", views.ExportJobView.as_view(download=True), name="export-job-download"),
    path("<str:reference>/", views.BeneficiaryDetailView.as_view(), name="beneficiary-detail"),
    path("<str:reference>/history/", views.BeneficiaryHistoryView.as_view(), name="beneficiary-history"),
    path("<str:reference>/edit/", views.BeneficiaryEditView.as_view(), name="beneficiary-edit"),
    path("<str:reference>/withdraw/", views.BeneficiaryWithdrawView.as_view(), name="beneficiary-withdraw"),
    path("<str:reference>/anonymize/", views.BeneficiaryAnonymizeView.as_view(), name="beneficiary-anonymize"),
]
