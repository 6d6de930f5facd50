from moldova_personas.dbt_models import int_census_model


def model(dbt, session):
    dbt.config(materialized="table")
    # dbt.ref needs literal names, so every census and assumption input is listed here.
    inputs = {
        "census__localities": dbt.ref("stg_census__localities"),
        "census__population_single_age_2024_approx": dbt.ref("stg_census__population_single_age_2024_approx"),
        "census__ethnicity_national": dbt.ref("stg_census__ethnicity_national"),
        "census__ethnicity_age_profile": dbt.ref("stg_census__ethnicity_age_profile"),
        "census__ethnicity_by_area": dbt.ref("stg_census__ethnicity_by_area"),
        "census__ethnicity_by_region": dbt.ref("stg_census__ethnicity_by_region"),
        "census__mother_tongue_by_ethnicity": dbt.ref("stg_census__mother_tongue_by_ethnicity"),
        "census__native_language": dbt.ref("stg_census__native_language"),
        "census__religion_by_ethnicity": dbt.ref("stg_census__religion_by_ethnicity"),
        "census__religion_national": dbt.ref("stg_census__religion_national"),
        "census__religion_by_raion": dbt.ref("stg_census__religion_by_raion"),
        "census__marital_status": dbt.ref("stg_census__marital_status"),
        "census__education_level": dbt.ref("stg_census__education_level"),
        "census__education_higher_by_territory": dbt.ref("stg_census__education_higher_by_territory"),
        "census__employment_status": dbt.ref("stg_census__employment_status"),
        "assumptions__assumption_age_sex_adults_2024": dbt.ref("stg_assumptions__assumption_age_sex_adults_2024"),
        "assumptions__assumption_open_age_group": dbt.ref("stg_assumptions__assumption_open_age_group"),
        "assumptions__assumption_mother_tongue_romanian_odds": dbt.ref("stg_assumptions__assumption_mother_tongue_romanian_odds"),
        "assumptions__assumption_ethnicity_locality_cells": dbt.ref("stg_assumptions__assumption_ethnicity_locality_cells"),
        "assumptions__assumption_marital_status_by_age_sex": dbt.ref("stg_assumptions__assumption_marital_status_by_age_sex"),
        "assumptions__assumption_education_by_age_sex_area": dbt.ref("stg_assumptions__assumption_education_by_age_sex_area"),
        "assumptions__assumption_education_attainment_age_10_17": dbt.ref("stg_assumptions__assumption_education_attainment_age_10_17"),
        "assumptions__assumption_employment_status_by_age_sex_area": dbt.ref("stg_assumptions__assumption_employment_status_by_age_sex_area"),
        "assumptions__assumption_employment_odds_by_education": dbt.ref("stg_assumptions__assumption_employment_odds_by_education"),
        "assumptions__assumption_lfs_teen_status": dbt.ref("stg_assumptions__assumption_lfs_teen_status"),
        "assumptions__assumption_life_course_rules": dbt.ref("stg_assumptions__assumption_life_course_rules"),
        "assumptions__assumption_isco_major_by_sex_area": dbt.ref("stg_assumptions__assumption_isco_major_by_sex_area"),
        "assumptions__assumption_isco_education_compatibility": dbt.ref("stg_assumptions__assumption_isco_education_compatibility"),
        "reference__occupation_titles": dbt.ref("int_occupation_titles_weighted"),
    }
    return int_census_model(inputs)
