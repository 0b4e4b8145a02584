"""A spreadsheet from the staff floor handed out as a file download."""

from fastapi.responses import Response

from staff.spreadsheet import Sheet


def download(sheet: Sheet) -> Response:
    return Response(sheet.text, media_type=sheet.media_type, headers=sheet.headers)
