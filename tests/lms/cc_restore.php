#!/usr/bin/env php
<?php
// Restore an IMS Common Cartridge into a NEW Moodle course with Moodle's own converter
// (backup/converter/imscc11, then the restore controller: what Site administration >
// Courses > Restore does with an .imscc), and print the course as JSON; or attempt one
// of its quizzes as a learner through the quiz attempt API and print Moodle's grade.
//
//   LMS_HOME=... php cc_restore.php --file=X.imscc --shortname=S [--fullname=F]
//   LMS_HOME=... php cc_restore.php --attempt --courseid=N --quiz=NAME [--student=student1]
//        [--essaymark=0] [--skip=SLOT,...]
//
// Restore prints {"courseid", "seconds", "sections": [{"section", "name", "summary",
// "modules": [{"modname", "name", ...}]}]}: a page gives its content, a quiz its questions
// (slot, qtype, maxmark, text, general feedback, answers with fraction and feedback;
// true/false its right answer and both feedbacks; short answer its case rule).
// Attempt enrols the learner, optionally sets every essay's mark in the quiz (--essaymark,
// the import guide's step), answers every question correctly except the --skip slots (left
// unanswered), submits, and prints the attempt's marks and the gradebook's grade.
define('CLI_SCRIPT', true);
require((getenv('LMS_HOME') ?: getenv('HOME') . '/.cache/mooc-lms') . '/moodle/config.php');
require_once($CFG->libdir . '/clilib.php');
require_once($CFG->libdir . '/gradelib.php');
require_once($CFG->dirroot . '/backup/util/includes/restore_includes.php');
require_once($CFG->dirroot . '/mod/quiz/locallib.php');
require_once($CFG->dirroot . '/question/engine/lib.php');

[$opt, $unrec] = cli_get_params([
    'file' => '', 'shortname' => '', 'fullname' => '', 'attempt' => false, 'courseid' => 0,
    'quiz' => '', 'student' => 'student1', 'essaymark' => '', 'skip' => '',
]);
$admin = get_admin();
\core\session\manager::set_user($admin);

function out($data) {
    echo json_encode($data, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES), "\n";
}

function text_of($html) {
    return trim(preg_replace('/\s+/u', ' ', html_entity_decode(strip_tags($html), ENT_QUOTES, 'UTF-8')));
}

function question_report($question, $slot) {
    $q = question_bank::load_question($question->questionid ?? $question->id);
    $r = ['slot' => (int)$slot->slot, 'qtype' => $q->get_type_name(), 'name' => $q->name,
          'maxmark' => (float)$slot->maxmark, 'defaultmark' => (float)$q->defaultmark,
          'text' => text_of($q->questiontext), 'generalfeedback' => text_of($q->generalfeedback)];
    if (isset($q->answers)) {
        $r['answers'] = array_values(array_map(fn($a) => [
            'text' => text_of($a->answer), 'fraction' => (float)$a->fraction,
            'feedback' => text_of($a->feedback)], $q->answers));
    }
    if ($r['qtype'] === 'multichoice') {
        $r['single'] = $q instanceof qtype_multichoice_single_question;
    } else if ($r['qtype'] === 'truefalse') {
        $r['rightanswer'] = (bool)$q->rightanswer;
        $r['truefeedback'] = text_of($q->truefeedback);
        $r['falsefeedback'] = text_of($q->falsefeedback);
    } else if ($r['qtype'] === 'shortanswer') {
        $r['usecase'] = (bool)$q->usecase;
    }
    return $r;
}

function course_report($courseid) {
    global $DB;
    $modinfo = get_fast_modinfo($courseid);
    $sections = [];
    foreach ($modinfo->get_section_info_all() as $section) {
        $mods = [];
        foreach ($modinfo->sections[$section->section] ?? [] as $cmid) {
            $cm = $modinfo->get_cm($cmid);
            $m = ['cmid' => (int)$cm->id, 'modname' => $cm->modname, 'name' => $cm->name,
                  'visible' => (bool)$cm->visible];
            if ($cm->modname === 'page') {
                $page = $DB->get_record('page', ['id' => $cm->instance], '*', MUST_EXIST);
                $m['content'] = $page->content;
                $m['files'] = array_values(array_map(fn($f) => $f->get_filepath() . $f->get_filename(),
                    array_filter(get_file_storage()->get_area_files(context_module::instance($cm->id)->id,
                        'mod_page', 'content', false, 'filepath, filename', false))));
            } else if ($cm->modname === 'quiz') {
                $quiz = $DB->get_record('quiz', ['id' => $cm->instance], '*', MUST_EXIST);
                $m['quizid'] = (int)$quiz->id;
                $m['grade'] = (float)$quiz->grade;
                $m['sumgrades'] = (float)$quiz->sumgrades;
                $m['attempts'] = (int)$quiz->attempts;
                $slots = $DB->get_records_sql(
                    "SELECT qs.slot, qs.maxmark, qv.questionid
                       FROM {quiz_slots} qs
                       JOIN {question_references} qr ON qr.itemid = qs.id
                            AND qr.component = 'mod_quiz' AND qr.questionarea = 'slot'
                       JOIN {question_bank_entries} qbe ON qbe.id = qr.questionbankentryid
                       JOIN {question_versions} qv ON qv.questionbankentryid = qbe.id
                      WHERE qs.quizid = ?
                        AND qv.version = (SELECT MAX(v.version) FROM {question_versions} v
                                           WHERE v.questionbankentryid = qbe.id)
                   ORDER BY qs.slot", [$quiz->id]);
                $m['questions'] = array_values(array_map(fn($s) => question_report($s, $s), $slots));
            }
            $mods[] = $m;
        }
        $sections[] = ['section' => (int)$section->section, 'name' => get_section_name($courseid, $section),
                       'summary' => text_of($section->summary), 'modules' => $mods];
    }
    return $sections;
}

if (!$opt['attempt']) {
    // ---------------------------------------------------------------- restore
    $file = realpath($opt['file']);
    if (!$file || !$opt['shortname']) {
        cli_error('give --file=X.imscc and --shortname=S');
    }
    $started = microtime(true);
    $tempdir = restore_controller::get_tempdir_name(0, $admin->id);
    $path = make_backup_temp_directory($tempdir);
    if (!get_file_packer('application/vnd.moodle.backup')->extract_to_pathname($file, $path)) {
        cli_error("cannot unzip $file");
    }
    $format = backup_general_helper::detect_backup_format($tempdir);
    $category = $DB->get_field_sql('SELECT MIN(id) FROM {course_categories}');
    $courseid = restore_dbops::create_new_course($opt['fullname'] ?: $opt['shortname'],
                                                 $opt['shortname'], $category);
    $rc = new restore_controller($tempdir, $courseid, backup::INTERACTIVE_NO,
                                 backup::MODE_GENERAL, $admin->id, backup::TARGET_NEW_COURSE);
    if ($rc->get_status() == backup::STATUS_REQUIRE_CONV) {
        // The converter reads its templates as 'cc/sheets/...': relative to backup/, where
        // the Restore page runs.
        chdir($CFG->dirroot . '/backup');
        $rc->convert();
    }
    if (!$rc->execute_precheck()) {
        $results = $rc->get_precheck_results();
        if (!empty($results['errors'])) {
            cli_error('precheck: ' . json_encode($results));
        }
    }
    $rc->execute_plan();
    $rc->destroy();
    rebuild_course_cache($courseid, true);
    out(['courseid' => (int)$courseid, 'format' => $format,
         'seconds' => round(microtime(true) - $started, 1),
         'fullname' => $DB->get_field('course', 'fullname', ['id' => $courseid]),
         'sections' => course_report($courseid)]);
    exit(0);
}

// ---------------------------------------------------------------- attempt
$courseid = (int)$opt['courseid'];
$cm = null;
foreach (get_fast_modinfo($courseid)->get_instances_of('quiz') as $candidate) {
    if ($candidate->name === $opt['quiz']) {
        $cm = $candidate;
    }
}
if (!$cm) {
    cli_error("no quiz named '{$opt['quiz']}' in course $courseid");
}
$quiz = $DB->get_record('quiz', ['id' => $cm->instance], '*', MUST_EXIST);
$student = $DB->get_record('user', ['username' => $opt['student'], 'deleted' => 0], '*', MUST_EXIST);
if (!enrol_try_internal_enrol($courseid, $student->id,
        $DB->get_field('role', 'id', ['shortname' => 'student']))) {
    cli_error('cannot enrol ' . $opt['student']);
}
$quizobj = \mod_quiz\quiz_settings::create($quiz->id);
if ($opt['essaymark'] !== '') {
    // The import guide's step: a reflection is never scored, so its essay gets mark 0.
    $structure = $quizobj->get_structure();
    foreach ($structure->get_slots() as $slot) {
        if ($slot->qtype === 'essay') {
            $structure->update_slot_maxmark($slot, (float)$opt['essaymark']);
        }
    }
    \mod_quiz\quiz_settings::create($quiz->id)->get_grade_calculator()->recompute_quiz_sumgrades();
    $quizobj = \mod_quiz\quiz_settings::create($quiz->id);
}
\core\session\manager::set_user($student);
$quizobj = \mod_quiz\quiz_settings::create($quiz->id, $student->id);
$timenow = time();
$number = 1 + (int)$DB->get_field_sql('SELECT MAX(attempt) FROM {quiz_attempts} WHERE quiz = ? AND userid = ?',
                                      [$quiz->id, $student->id]);
$attempt = quiz_prepare_and_start_new_attempt($quizobj, $number, null);
$attemptobj = \mod_quiz\quiz_attempt::create($attempt->id);
$skip = array_filter(array_map('intval', explode(',', $opt['skip'])));
$responses = [];
$quba = question_engine::load_questions_usage_by_activity($attempt->uniqueid);
foreach ($attemptobj->get_slots() as $slot) {
    if (in_array($slot, $skip)) {
        continue;
    }
    $question = $quba->get_question($slot);
    $responses[$slot] = $question->get_type_name() === 'essay'
        ? ['answer' => 'A reflection written in the lab.', 'answerformat' => FORMAT_HTML]
        // what a learner would choose: the correct answer, in the form the attempt API takes
        : $question->get_student_response_values_for_simulation($quba->get_correct_response($slot));
}
$attemptobj->process_submitted_actions($timenow, false, $responses);
$attemptobj = \mod_quiz\quiz_attempt::create($attempt->id);
$attemptobj->process_finish($timenow, false, null, true);
$attemptobj = \mod_quiz\quiz_attempt::create($attempt->id);
$slots = [];
foreach ($attemptobj->get_slots() as $slot) {
    $qa = $attemptobj->get_question_attempt($slot);
    $slots[] = ['slot' => $slot, 'qtype' => $qa->get_question()->get_type_name(),
                'state' => (string)$qa->get_state(), 'mark' => $qa->get_mark(),
                'maxmark' => (float)$qa->get_max_mark(), 'skipped' => in_array($slot, $skip)];
}
$record = $attemptobj->get_attempt();
$grades = grade_get_grades($courseid, 'mod', 'quiz', $quiz->id, $student->id);
$item = $grades->items[0] ?? null;
out(['cmid' => (int)$cm->id, 'quizid' => (int)$quiz->id, 'attemptid' => (int)$attempt->id,
     'state' => $record->state, 'sumgrades' => $record->sumgrades === null ? null : (float)$record->sumgrades,
     'quiz_sumgrades' => (float)$DB->get_field('quiz', 'sumgrades', ['id' => $quiz->id]),
     'quiz_grade' => (float)$quiz->grade,
     'best_grade' => quiz_get_best_grade($quiz, $student->id),
     'gradebook' => $item && isset($item->grades[$student->id]) ? $item->grades[$student->id]->grade : null,
     'grademax' => $item ? (float)$item->grademax : null,
     'slots' => $slots]);
